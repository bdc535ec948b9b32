"""The mechanisms of bhuyan-leung-2021 2.x (issue 11), each on sentences the team wrote, with the
offsets of the evidence that decided the code checked against the text."""

from __future__ import annotations

from functools import cache

import pytest

from resdiscourse.codebook.load import load_codebook
from resdiscourse.coding import CodedSegment, code_text
from resdiscourse.matching.compile import CompiledCodebook, compile_codebook


@cache
def shipped() -> CompiledCodebook:
    return compile_codebook(load_codebook("bhuyan-leung-2021").codebook)


def coded(text: str, language: str = "en") -> CodedSegment:
    (segment,) = code_text(text, shipped(), language=language)
    return segment


def decision(text: str, language: str = "en") -> tuple[str | None, str | None]:
    segment = coded(text, language)
    locus, valence = segment.codes("locus"), segment.codes("valence")
    return (locus[0] if locus else None, valence[0] if valence else None)


def evidence(text: str, dimension: str, language: str = "en") -> list[tuple[int, int, str]]:
    """(start, end, words) of the evidence of the dimension's codings, checked against the text."""
    segment = coded(text, language)
    found = [
        (item.start, item.end, item.text)
        for coding in segment.codings
        if coding.dimension == dimension
        for item in coding.evidence
    ]
    for start, end, words in found:
        assert text[start:end] == words
    return sorted(set(found))


def span(text: str, words: str) -> tuple[int, int, str]:
    start = text.index(words)
    return (start, start + len(words), words)


def test_the_version_is_2_7() -> None:
    assert shipped().codebook.version == "2.7.0"


# --- retrieval: people, not processes ------------------------------------------------------------


def test_migration_as_a_process_is_not_retrieved_by_default() -> None:
    text = "Climate migration tests the resilience of coastal towns."
    assert code_text(text, shipped()) == []
    wide = shipped().with_retrieval("wide")
    assert [segment.text for segment in code_text(text, wide)] == [text]


# --- owners of resilience ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "owner"),
    [
        ("The resilience of newcomer families impressed the panel.", "newcomer"),
        ("Staff praised the refugees' resilience during the winter.", "refugees"),
        ("Young asylum seekers showed resilience in every interview.", "asylum seekers"),
        ("Resilient immigrant entrepreneurs opened shops on the avenue.", "immigrant"),
    ],
)
def test_an_owner_pattern_places_resilience_in_migrants(text: str, owner: str) -> None:
    assert decision(text)[0] == "attribute"
    assert span(text, owner) in evidence(text, "locus")


def test_the_owner_is_not_taken_across_a_semicolon() -> None:
    text = "Refugees arrived in large numbers; the resilience of the power grid was tested."
    assert decision(text) == (None, None)


def test_the_owner_is_not_taken_from_a_relative_clause() -> None:
    text = "The plan protects the water supply, which newcomers rely on, and its resilience."
    assert decision(text)[0] is None


def test_resilience_of_a_system_migrants_use_is_not_theirs() -> None:
    text = "The resilience of the shelter system that serves asylum seekers was tested by floods."
    assert decision(text)[0] is None


def test_resilience_others_build_in_migrants_is_attribute_and_deficit() -> None:
    text = "The program strengthens the resilience of refugee youth after resettlement."
    assert decision(text) == ("attribute", "deficit")
    assert span(text, "strengthens") in evidence(text, "valence")


def test_migrant_labour_for_a_sector_is_a_resource() -> None:
    text = "Migrant workers underpin the resilience of the agri-food supply chain."
    assert decision(text)[0] == "resource"


def test_including_migrants_for_a_city_is_civic_without_valence() -> None:
    text = "Including immigrants in local planning builds a resilient city."
    assert decision(text) == ("civic", None)


# --- valence: concession and status words -------------------------------------------------------


def test_concession_turns_hardship_into_admiration() -> None:
    text = "Despite these challenges, newcomers demonstrate resilience every day."
    assert decision(text) == ("attribute", "asset")
    assert span(text, "Despite") in evidence(text, "valence")


def test_overcoming_adversity_is_admiration() -> None:
    text = "The report noted the resilience of immigrants in the face of adversity."
    assert decision(text) == ("attribute", "asset")


def test_status_words_are_never_deficit_by_themselves() -> None:
    text = "Displaced families and asylum seekers show great resilience and hope."
    assert decision(text) == ("attribute", "asset")


def test_hardship_without_concession_stays_a_deficit_cue() -> None:
    text = "Poverty and trauma erode the resilience of refugee claimants."
    assert decision(text) == ("attribute", "deficit")


def test_resilience_that_enables_migrants_is_an_asset_despite_a_build_verb() -> None:
    text = "In a year of rising rents, their resilience enabled immigrant families to stay housed."
    assert decision(text) == ("attribute", "asset")
    assert span(text, "enabled") in evidence(text, "valence")


def test_resilience_built_by_an_agent_that_enables_stays_a_deficit() -> None:
    text = "By fostering resilience, mentoring enables refugee youth to finish school."
    assert decision(text) == ("attribute", "deficit")


def test_migrants_in_a_key_role_for_a_places_resilience_are_an_asset() -> None:
    text = "Immigrant entrepreneurs played a key role in the economic resilience of the region."
    assert decision(text) == ("resource", "asset")
    assert span(text, "key role") in evidence(text, "valence")


def test_a_city_acting_for_migrants_builds_its_own_resilience_civic() -> None:
    text = "Supporting refugee households through the winter strengthens the resilience of towns."
    assert decision(text) == ("civic", None)
    assert span(text, "Supporting") in evidence(text, "locus")


def test_resilience_as_a_lens_on_migrants_settlement_is_attribute_without_valence() -> None:
    text = "The report applies a resilience lens to the settlement of refugee claimants in suburbs."
    assert decision(text) == ("attribute", None)
    assert span(text, "lens") in evidence(text, "locus")


def test_a_place_resilient_beside_migrants_integration_is_civic() -> None:
    text = "Towns with more integration of newcomers were more resilient after the plant closed."
    assert decision(text) == ("civic", None)


def test_migrants_of_a_place_that_integrates_stay_the_owners() -> None:
    text = "Immigrants in towns that welcome immigrants were more resilient after the plant closed."
    assert decision(text)[0] == "attribute"


def test_working_with_migrants_for_a_disaster_resilient_place_is_civic() -> None:
    text = "The council will partner with refugee families for a disaster-resilient region."
    assert decision(text) == ("civic", None)
    assert span(text, "partner with") in evidence(text, "locus")


def test_not_only_does_not_negate() -> None:
    text = "Their resilience not only recognizes refugees' strengths but also their courage."
    assert decision(text) == ("attribute", "asset")
    assert span(text, "recognizes") in evidence(text, "valence")


def test_migrants_who_manage_to_be_resilient_are_an_asset() -> None:
    text = "Against many odds, young refugees manage to be resilient in their new schools."
    assert decision(text) == ("attribute", "asset")


def test_hardship_words_describing_a_study_are_no_deficit() -> None:
    text = "We examine immigrant resilience as a moderator of stress in the first year."
    assert decision(text) == ("attribute", None)


def test_a_trade_named_beside_migrants_own_resilience_is_no_evaluation() -> None:
    text = "The resilience of migrant entrepreneurs in the pandemic is the subject of this paper."
    assert decision(text) == ("attribute", None)


# --- names, headings and list items --------------------------------------------------------------


def test_resilience_only_in_a_programme_name_gets_no_locus() -> None:
    text = "Funding for the Newcomer Resilience Fund was renewed for refugees in the region."
    assert decision(text) == (None, None)


def test_migrants_named_only_inside_a_capitalised_name_get_no_locus() -> None:
    text = "Under the Regional Refugee Response Plan, the agency focuses on building resilience."
    assert decision(text) == (None, None)


def test_people_paraphrased_beside_a_name_keep_their_resilience() -> None:
    text = "On World Refugee Day, we honour the resilience of those seeking refuge from war."
    assert decision(text) == ("attribute", "asset")
    assert span(text, "seeking refuge") in evidence(text, "locus")


def test_a_capital_after_a_colon_is_grammar_not_a_name() -> None:
    text = "Settlement: Refugees often show remarkable resilience in a new country."
    assert decision(text) == ("attribute", "asset")


def test_migrants_and_resilience_paired_as_topics_is_not_a_framing() -> None:
    assert decision("La résilience et l'immigration", language="fr") == (None, None)


def test_a_title_case_headline_is_read_as_a_sentence() -> None:
    text = "Minister Honours The Resilience Of Refugee Families"
    assert decision(text) == ("attribute", "asset")


def test_a_list_item_is_coded_with_its_lead_in() -> None:
    text = "Refugee youth in the program have:\n• shown remarkable resilience;\n• made friends."
    (segment,) = code_text(text, shipped())
    assert segment.text == "• shown remarkable resilience;"
    assert segment.codes("locus") == ["attribute"] and segment.codes("valence") == ["asset"]


# --- review ---------------------------------------------------------------------------------------


def test_a_weak_decision_is_flagged_for_review_and_a_strong_one_is_not() -> None:
    weak = coded("Newcomers asked many questions about resilience at the session.")
    strong = coded("Refugees have shown remarkable resilience in rebuilding their lives.")
    assert not strong.review and strong.review_reasons == []
    assert weak.codes("locus") == ["attribute"] and weak.review
    assert weak.review_reasons == ["locus: attribute given by weak rule attr-default-noun only"]


# --- 2.2.0: owners named by "whose", migrant collectives, causatives, places ----------------------


def test_whose_binds_resilience_to_the_noun_before_it() -> None:
    text = "We honour refugees, whose resilience inspires us all."
    assert decision(text)[0] == "attribute"
    assert span(text, "whose") in evidence(text, "locus")
    text = "Refugees rely on the health system, whose resilience was tested during the pandemic."
    assert decision(text) == (None, None)


def test_a_migrant_community_is_the_migrants_not_a_collective_owner() -> None:
    text = "We celebrate the strength and power and resilience of refugee communities."
    assert decision(text) == ("attribute", "asset")
    assert span(text, "strength") in evidence(text, "valence")


@pytest.mark.parametrize(
    ("text", "verb"),
    [
        (
            "Immigrants fill labour shortages, making our health care system more resilient.",
            "making",
        ),
        ("Newcomers are making this a stronger, more resilient country.", "making"),
        ("Newcomers make Manitoba more resilient.", "make"),
    ],
)
def test_migrants_who_make_a_place_resilient_are_a_resource(text: str, verb: str) -> None:
    assert decision(text) == ("resource", "asset")
    assert span(text, verb) in evidence(text, "locus")


def test_a_causative_works_in_french() -> None:
    text = "Les travailleurs immigrants rendent notre système de santé plus résilient."
    assert decision(text, "fr") == ("resource", "asset")


def test_inclusion_that_makes_a_place_resilient_is_civic() -> None:
    text = (
        "Inclusive neighbourhoods, where immigrants feel they belong, make the city more resilient."
    )
    assert decision(text) == ("civic", None)
    assert span(text, "make") in evidence(text, "locus")


def test_ties_between_migrants_and_neighbours_are_no_causative_subject() -> None:
    text = "Stronger ties between immigrant and long-time neighbours make towns more resilient."
    assert decision(text)[0] != "resource"


def test_resilience_migrants_bring_to_a_community_is_a_resource() -> None:
    text = "Neighbours praised the energy and resilience newcomers bring to the community."
    assert decision(text) == ("resource", "asset")
    assert span(text, "bring") in evidence(text, "locus")


def test_people_forced_to_leave_their_homes_are_displaced_people() -> None:
    text = "World Refugee Day honours the resilience of people forced to leave their homes."
    assert decision(text) == ("attribute", "asset")
    assert span(text, "forced to leave") in evidence(text, "locus")


def test_the_weak_default_reaches_across_a_heading_colon() -> None:
    text = "Refugee children: a resilience guide for teachers and school staff"
    assert decision(text)[0] == "attribute"
    assert coded(text).review


# --- 2.3.0: an economy's owner, admiration after "is", things "resilient" qualifies --------------


@pytest.mark.parametrize(
    "text",
    [
        "The bank backs the economic resilience of host communities, which took in many refugees.",
        "The plan supports economic resilience in regions hit hard by the refugee crisis.",
        "The fund makes local economies resilient, and it benefits both residents and refugees.",
        "La BEI soutient la résilience économique des pays touchés par la crise des réfugiés.",
    ],
)
def test_an_economy_with_migrants_as_a_pressure_or_beneficiaries_is_no_resource(text: str) -> None:
    language = "fr" if "BEI" in text else "en"
    assert decision(text, language) == (None, None)


def test_an_economy_migrants_serve_is_still_a_resource() -> None:
    text = "Skilled immigrants keep the regional economy resilient."
    assert decision(text) == ("resource", "asset")
    assert span(text, "economy") in evidence(text, "locus")


def test_the_resilience_of_refugees_in_a_place_stays_theirs() -> None:
    text = "Volunteers came out to honour the resilience of refugees in Manitoba."
    assert decision(text) == ("attribute", "asset")
    assert span(text, "honour") in evidence(text, "valence")


def test_resilience_said_to_be_remarkable_is_admired() -> None:
    text = "The resilience of these asylum seekers is truly remarkable, though the losses are real."
    assert decision(text) == ("attribute", "asset")
    assert span(text, "remarkable") in evidence(text, "valence")


def test_ties_between_residents_and_newcomers_do_not_make_newcomers_contributors() -> None:
    text = (
        "Building ties between long-time residents and newcomers strengthens community resilience."
    )
    assert decision(text)[0] != "resource"


def test_resilient_before_a_system_is_the_systems_not_the_migrants() -> None:
    text = "Immigrant nurses are part of a resilient health care system."
    assert decision(text)[0] != "attribute"
    text = "Refugee families are resilient and determined."
    assert decision(text) == ("attribute", "asset")


# --- 2.4.0: hardship near the migrants, capacities, concession, mentions not discussed -----------


def test_a_hardship_word_far_from_migrants_and_resilience_is_no_deficit() -> None:
    text = (
        "Newcomer entrepreneurs have shown resilience, and the report adds that the region's "
        "roads and bridges face mounting pressure from heavy trucks."
    )
    assert decision(text) == ("attribute", "asset")


def test_hardship_paired_with_resilience_leans_to_asset() -> None:
    text = "The exhibit tells of the struggles and resilience of undocumented families."
    assert decision(text) == ("attribute", "asset")
    assert span(text, "struggles") in evidence(text, "valence")
    assert coded(text).review


def test_resilience_factors_of_migrants_are_theirs() -> None:
    text = "The study maps the resilience factors that newcomer youth draw on at school."
    assert decision(text) == ("attribute", "asset")
    assert span(text, "factors") in evidence(text, "locus")


def test_resilience_conceded_yields_to_the_deficit_of_the_main_clause() -> None:
    text = "Although many refugee children are resilient, a large share develop anxiety."
    assert decision(text) == ("attribute", "deficit")
    assert span(text, "Although") in evidence(text, "valence")
    french = (
        "Bien qu’un grand nombre d’enfants réfugiés soient résilients, d’autres développent "
        "de l’anxiété."
    )
    assert decision(french, "fr") == ("attribute", "deficit")


def test_resilience_among_what_migrants_have_to_give_is_a_contribution() -> None:
    text = (
        "Refugees have so much to offer our towns: their skills, their resilience and their energy."
    )
    assert decision(text) == ("resource", "asset")


def test_resilience_built_in_a_named_sector_is_not_the_migrants() -> None:
    text = "A pilot for migrant farm workers will help build resilience in the agriculture sector."
    assert decision(text)[0] != "attribute"


def test_a_host_community_resting_on_its_residents_openness_is_civic() -> None:
    text = (
        "La résilience des communautés d'accueil repose sur l'ouverture de leurs résidents "
        "envers les personnes immigrantes."
    )
    assert decision(text, "fr")[0] == "civic"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The resilience of refugee claimants is not examined in this plan.", "en"),
        ("The resilience of newcomer seniors is beyond the scope of this strategy.", "en"),
        ("La résilience des personnes réfugiées n'est pas abordée dans ce plan.", "fr"),
    ],
)
def test_a_mention_said_not_to_be_discussed_after_the_noun_gets_no_locus(
    text: str, language: str
) -> None:
    assert decision(text, language) == (None, None)


# --- 2.5.0: coordinators, resilience valued at work, praise of virtues, solutions ----------------


def test_a_sentence_opening_coordinator_does_not_end_its_clause_at_a_comma() -> None:
    text = "Yet newcomers are, by all accounts, resilient and hopeful."
    assert decision(text) == ("attribute", "asset")
    assert span(text, "newcomers") in evidence(text, "locus")


def test_a_leading_subordinator_still_ends_its_clause_at_the_first_comma() -> None:
    # "Although" opens a lead clause: "newcomers are" and "resilient" stand in two clauses.
    assert decision("Although newcomers are, by all accounts, resilient, jobs are scarce.") == (
        None,
        None,
    )


def test_resilience_valued_at_work_is_a_resource_for_the_workplace() -> None:
    text = "Asylum seekers who find jobs bring persistence and resilience to their roles."
    assert decision(text) == ("resource", "asset")
    assert span(text, "to their roles") in evidence(text, "locus")
    # Strong since 2.6.0: its record on real tune text (6 of 6 right) set its strength.
    assert {c.strength for c in coded(text).codings if c.dimension == "locus"} == {"strong"}


def test_employers_who_build_migrants_resilience_keep_it_theirs() -> None:
    text = "Employees and managers can strengthen the resilience of refugee apprentices."
    assert decision(text)[0] == "attribute"


def test_praise_of_a_virtue_reaches_the_resilience_listed_after_it() -> None:
    text = "The mayor will honour the courage of the city's newcomers and their resilience."
    assert decision(text)[1] == "asset"
    assert span(text, "honour") in evidence(text, "valence")


def test_being_resilient_is_a_state_of_the_migrants() -> None:
    text = "Immigrant students often have a long record of being resilient at school."
    assert decision(text) == ("attribute", "asset")


def test_migrants_named_a_solution_towards_resilience_are_a_resource() -> None:
    text = "The mayors argued that immigrants are part of the solution towards resilience."
    assert decision(text) == ("resource", "asset")
    assert span(text, "solution") in evidence(text, "locus")


def test_a_place_that_needs_to_plan_for_migrants_does_not_rely_on_them() -> None:
    text = "How resilient cities need to plan for an influx of refugees."
    assert decision(text) == (None, None)
    relies = "The province relies on the talents of immigrants to remain resilient."
    assert decision(relies) == ("resource", "asset")


def test_migrants_skills_that_build_resilient_communities_are_a_resource() -> None:
    text = "Their knowledge and skills, newcomers said, strengthen resilient towns up north."
    french = "Les savoirs des personnes immigrantes renforcent des communautés résilientes."
    networks = "Newcomers' networks strengthen resilient communities."
    assert decision(networks) == ("resource", "asset")
    assert decision(french, "fr") == ("resource", "asset")
    assert decision(text) == ("resource", "asset")


def test_people_seeking_sanctuary_own_their_resilience() -> None:
    text = "On World Refugee Day we honour the resilience of people seeking sanctuary."
    assert decision(text) == ("attribute", "asset")
    assert span(text, "seeking sanctuary") in evidence(text, "locus")


def test_resilience_on_display_and_narratives_of_resilience_are_admired() -> None:
    assert decision("The resilience of refugee families is on full display this winter.")[1] == (
        "asset"
    )
    assert decision("Immigrant memoirs are full of narratives of resilience.")[1] == "asset"


# --- 2.6.0: investing in, resilience-building, making migrants resilient, process nouns ----------


def test_investing_in_migrants_resilience_builds_it() -> None:
    text = "Donors keep investing in the resilience of refugee households."
    assert decision(text) == ("attribute", "deficit")
    assert span(text, "investing in") in evidence(text, "valence")


def test_resilience_building_is_building_resilience() -> None:
    text = "Resilience-building sessions for asylum seekers start in May."
    assert decision(text) == ("attribute", "deficit")
    assert span(text, "building") in evidence(text, "valence")


def test_making_migrants_resilient_is_building_their_resilience() -> None:
    text = "The course aims to make newcomers more resilient at work."
    assert decision(text) == ("attribute", "deficit")
    assert span(text, "make") in evidence(text, "valence")
    # Without a purpose, "make" explains a quality the migrants have.
    assert decision("Strong family ties make refugee children more resilient.")[1] != "deficit"
    assert decision("What makes refugees so resilient is their faith.")[1] == "asset"
    # Migrants who make a place resilient are still its resource.
    assert decision("Newcomers make rural towns more resilient.") == ("resource", "asset")


def test_french_ameliorer_builds_resilience() -> None:
    text = "Ces ateliers améliorent la résilience des jeunes réfugiés."
    assert decision(text, "fr") == ("attribute", "deficit")
    assert span(text, "améliorent") in evidence(text, "valence", "fr")


def test_a_migrant_word_heading_a_process_is_not_credited_with_a_resilient_place() -> None:
    text = "Newcomer integration contributes to resilient neighbourhoods."
    assert decision(text) == ("civic", None)  # the integration, carried out by the place
    assert decision("Newcomers contribute to resilient neighbourhoods.") == ("resource", "asset")


def test_self_reliance_and_resilience_paired_is_a_goal_for_refugees() -> None:
    text = "The plan sets out a path towards self-reliance and resilience of refugee families."
    assert decision(text) == ("attribute", "deficit")
    assert span(text, "self-reliance") in evidence(text, "valence")
    # Shown, the pair is praise, not a goal.
    assert decision("Refugees show great self-reliance and resilience.")[1] != "deficit"


def test_immigration_status_is_not_people_who_make_a_place_resilient() -> None:
    text = "Aid for every family, regardless of immigration status, helps the town stay resilient."
    assert decision(text) == (None, None)
    people = "All immigrants, regardless of immigration status, contribute to Toronto's resilience."
    assert decision(people) == ("resource", "asset")


def test_resilience_built_in_migrants_is_not_theirs_to_bring() -> None:
    text = "Permits strengthen the resilience of refugees and enable them to contribute to towns."
    assert decision(text) == ("attribute", "deficit")


def test_components_and_pathways_of_resilience_are_the_migrants_capacities() -> None:
    text = "The study traces pathways of resilience among young refugees."
    assert decision(text) == ("attribute", "asset")
    assert span(text, "pathways") in evidence(text, "valence")
    french = "Les composantes de résilience chez les réfugiés sont étudiées."
    assert decision(french, "fr")[1] == "asset"
    assert span(french, "composantes de") in evidence(french, "valence", "fr")
    # A list that pairs risk factors with resilience names no capacity.
    listed = "The study examines risk factors and resilience among refugee youth."
    assert decision(listed)[1] is None


def test_a_migrant_word_heading_inclusion_is_the_community_building_resilience() -> None:
    text = "Immigrant inclusion strengthens community resilience."
    assert decision(text) == ("civic", None)
    assert span(text, "inclusion") in evidence(text, "locus")


def test_resilient_before_a_place_is_the_places() -> None:
    text = "A resilient Canada needs immigrants to fill labour shortages."
    assert decision(text) == ("resource", "asset")
    rules = {coding.rule_id for coding in coded(text).codings}
    assert not rules & {"attr-resilient-migrants", "asset-resilient-migrants"}


# --- 2.7.0: names, needs for help towards resilience, components, civic goods -------------------


def test_resilience_before_a_names_head_is_a_name_not_a_framing() -> None:
    guide = "The Resilience Guide: Strategies for Responding to Trauma in Refugee Children"
    assert decision(guide)[0] is None
    assert decision("Life as a Refugee: Resilience Awards in the main hall.")[0] is None
    # A headline that says whose resilience is still coded.
    text = "Resilience of Refugee Children After War"
    assert decision(text)[0] == "attribute"
    assert span(text, "Resilience of") in evidence(text, "locus")


def test_a_capitalised_migrant_noun_in_prose_owns_resilience() -> None:
    text = "The ministry is committed to enhancing the resilience of Refugees and host communities."
    assert decision(text) == ("attribute", "deficit")
    assert span(text, "Refugees") in evidence(text, "locus")


def test_needing_help_is_deficit_only_when_the_help_is_towards_resilience() -> None:
    text = "Asylum seekers who were detained may need counselling to rebuild their resilience."
    assert decision(text) == ("attribute", "deficit")
    assert span(text, "need") in evidence(text, "valence")
    far = (
        "Refugees are in desperate need of protection, and the world has seen their courage and "
        "resilience."
    )
    assert "def-need-support" not in {coding.rule_id for coding in coded(far).codings}


def test_a_component_of_a_places_resilience_is_a_contribution() -> None:
    text = "Immigrants are a crucial component of Canada's resilience."
    assert decision(text)[0] == "resource"
    assert span(text, "component of") in evidence(text, "locus")


def test_resilience_among_a_communitys_goods_is_civic() -> None:
    text = "Enhancing refugee employment builds resilience and inclusion in society."
    assert decision(text)[0] == "civic"
    assert span(text, "inclusion") in evidence(text, "locus")
    # Owned by the migrants, the same goods stay theirs.
    assert decision("We admire the resilience and solidarity of refugees.")[0] == "attribute"


def test_french_show_verbs_include_montrer() -> None:
    text = "Les réfugiés ont montré leur résilience."
    assert decision(text, "fr") == ("attribute", "asset")
    assert span(text, "montré") in evidence(text, "valence", "fr")


def test_hardship_beside_a_resilience_others_build_is_what_it_is_for() -> None:
    text = "Programs build the resilience of refugees in the face of adversity."
    assert decision(text) == ("attribute", "deficit")
    assert span(text, "build") in evidence(text, "valence")
    # "increasingly" is no building verb: noting their resilience in adversity is admiration.
    noted = (
        "Researchers have increasingly noted the resilience of immigrants in the face of adversity."
    )
    assert decision(noted)[1] == "asset"


def test_migrants_enabling_a_sector_to_stay_resilient_are_its_resource() -> None:
    text = "Temporary foreign workers allowed the farm sector to remain resilient."
    assert decision(text) == ("resource", "asset")
    assert span(text, "allowed") in evidence(text, "locus")
    pronoun = "Newcomers enrich our communities and make them more resilient."
    assert decision(pronoun) == ("resource", "asset")
    assert span(pronoun, "them") in evidence(pronoun, "locus")
    french = "Les nouveaux arrivants enrichissent nos collectivités et les rendent résilientes."
    assert decision(french, "fr") == ("resource", "asset")


def test_they_are_resilient_in_a_later_clause_is_the_migrants_quality() -> None:
    text = "Refugees often face many challenges, but they are also a highly resilient group."
    assert decision(text) == ("attribute", "asset")
    assert span(text, "they") in evidence(text, "locus")


def test_resilience_conceded_by_despite_before_hardship_is_deficit() -> None:
    text = "Despite their resilience, refugees face a range of disadvantages and barriers."
    assert decision(text) == ("attribute", "deficit")
    assert span(text, "Despite") in evidence(text, "valence")
    # Hardship conceded by "despite" is still admiration.
    assert decision("Despite the challenges they face, refugees show resilience.")[1] == "asset"


def test_maximising_sources_of_resilience_builds_it() -> None:
    text = "Social workers should maximize sources of resilience for refugees."
    assert decision(text)[1] == "deficit"
    assert span(text, "maximize") in evidence(text, "valence")


def test_a_resilience_plan_that_engages_migrants_is_civic() -> None:
    text = "Climate resilience planning must include the voices of immigrant residents."
    assert decision(text) == ("civic", None)
    assert span(text, "voices of") in evidence(text, "locus")
    # A singular "resilience strategy" is a plan, not the migrants' coping strategies.
    plan = "The resilience strategy was co-designed with refugee-led groups."
    assert decision(plan) == ("civic", None)
    # A programme that serves migrants does not include them in the place's resilience.
    assert decision("The resilience program includes counselling for refugee children.")[0] is None


def test_a_hosts_resilience_with_refugees_hosted_has_no_locus() -> None:
    for text in (
        "Lebanon's resilience has been tested by hosting over a million refugees.",
        "Jordan has shown remarkable resilience in hosting Syrian refugees.",
        "Partners invest in national systems to build resilience in refugee-hosting areas.",
        "The project supports refugee-hosting municipalities to become more resilient.",
        "Funding will strengthen the resilience of health systems in countries hosting refugees.",
    ):
        assert decision(text) == (None, None), text
    # Refugees named beside the hosts are owners too.
    both = "Programs build the resilience of refugees and host communities."
    assert decision(both) == ("attribute", "deficit")
    assert span(both, "refugees") in evidence(both, "locus")


def test_resilient_to_a_hazard_names_the_hazard_not_the_owner() -> None:
    text = "Immigrant seniors are among the least resilient to extreme heat."
    assert decision(text) == ("attribute", "deficit")
    assert span(text, "least") in evidence(text, "valence")


def test_inclusive_resilience_beside_migrants_is_civic() -> None:
    text = "Cities are developing inclusive resilience hubs that serve immigrant communities."
    assert decision(text)[0] == "civic"
    assert span(text, "inclusive") in evidence(text, "locus")


def test_resilience_among_the_causes_of_displacement_is_not_the_migrants() -> None:
    text = (
        "To reduce irregular migrant journeys we must tackle the root causes, such as conflict, "
        "poverty and a lack of resilience to droughts."
    )
    assert decision(text) == (None, None)
    # Without the causes, refugees who lack resilience are in deficit.
    assert decision("Many refugees lack resilience to droughts.") == ("attribute", "deficit")


def test_resilience_closing_a_list_that_others_strengthen_is_built_by_them() -> None:
    text = "The fund will improve food security, jobs and the resilience of refugee families."
    assert decision(text) == ("attribute", "deficit")
    assert span(text, "improve") in evidence(text, "valence")
    french = "Le projet vise à renforcer la santé, l'emploi et la résilience des réfugiés."
    assert decision(french, "fr") == ("attribute", "deficit")


def test_french_adjective_after_the_community_and_moins_resilient() -> None:
    text = "La Ville mise sur l'inclusion des immigrants pour bâtir une communauté plus résiliente."
    assert decision(text, "fr")[0] == "civic"
    assert span(text, "résiliente") in evidence(text, "locus", "fr")
    less = "Les personnes immigrantes aînées sont parmi les moins résilientes face aux canicules."
    assert decision(less, "fr") == ("attribute", "deficit")
    assert span(less, "moins") in evidence(less, "valence", "fr")


def test_migrants_role_in_our_resilience_and_essential_for_a_resilient_system() -> None:
    text = "Migrants played a vital role in our resilience throughout the pandemic."
    assert decision(text)[0] == "resource"
    assert span(text, "role") in evidence(text, "locus")
    essential = "Skilled immigrants are essential for a resilient health care system."
    assert decision(essential) == ("resource", "asset")
    assert span(essential, "essential for") in evidence(essential, "locus")
    students = "International students bolster the financial resilience of our universities."
    assert decision(students)[0] == "resource"


def test_a_community_owning_resilience_beside_another_good_is_civic() -> None:
    text = "Toronto's strength and resilience come from residents, including newcomers."
    assert decision(text) == ("civic", None)
    assert span(text, "including") in evidence(text, "locus")
    # Migrant communities owning the pair stay the owners.
    owned = "The videos strengthen our newcomer communities' mental health and resilience."
    assert decision(owned)[0] == "attribute"


def test_resilience_interventions_and_training_build_it() -> None:
    text = "Resilience-based interventions for refugee families are offered in three languages."
    assert decision(text) == ("attribute", "deficit")
    assert span(text, "interventions") in evidence(text, "valence")


def test_capacity_for_resilience_shown_or_strengthened() -> None:
    shown = "Immigrant women have demonstrated time and again their capacity for resilience."
    assert decision(shown) == ("attribute", "asset")
    assert span(shown, "capacity") in evidence(shown, "valence")
    built = "Key strategies strengthen refugee families' capacity for resilience."
    assert decision(built) == ("attribute", "deficit")


def test_models_faces_and_resilience_forged_by_hardship_are_admiration() -> None:
    assert decision("Les réfugiés sont des modèles de résilience.", "fr") == ("attribute", "asset")
    assert decision("The faces of refugee resilience are everywhere in our city.")[1] == "asset"
    forged = "Asylum seekers arrive with a resilience forged by years of hardship."
    assert decision(forged) == ("attribute", "asset")
    assert span(forged, "forged by") in evidence(forged, "valence")


def test_a_migrant_word_modifying_a_system_does_not_own_resilience() -> None:
    text = "The resilience of our immigration system was tested by the surge in applications."
    assert decision(text) == (None, None)
    assert decision("Our immigration system has proven resilient.") == (None, None)
    people = "The resilience of refugees was tested by the surge in evictions."
    assert decision(people) == ("attribute", "deficit")
    assert span(people, "refugees") in evidence(people, "locus")


def test_resilience_granted_before_yet_many_in_need_is_deficit() -> None:
    text = "Refugees show remarkable resilience, yet many live with trauma and need counselling."
    assert decision(text) == ("attribute", "deficit")
    assert span(text, "yet") in evidence(text, "valence")
    # Without people in need after "but", the admiration stands.
    assert decision("Refugees show great resilience but also enrich our towns.")[1] == "asset"
