"""Write the synthetic demo corpus: 11 PDFs, their truth texts and manifest.csv, into the
package data (``src/resdiscourse/corpora/demo`` and ``demo-truth``).

Run from the repository root (reportlab needed, the ``dev`` extra):

    python -m tests.support.make_demo

The output is byte-identical on every run. All text below was written by the resdiscourse team for
this demonstration (CC0); none of it is taken from a government publication.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from resdiscourse.models import MANIFEST_FIELDS
from tests.support.demo_french import (
    MARK,
    fr,
    ontario_2011_fr,
    ontario_2016_fr,
    ontario_2018_bilingual,
    toronto_2014_fr,
)
from tests.support.synthpdf import Band, Block, DocSpec, PageSpec, build_pdf

CORPORA = Path(__file__).resolve().parents[2] / "src" / "resdiscourse" / "corpora"

NOTE = (
    "SYNTHETIC demonstration document written by the resdiscourse team (CC0); "
    "not a government publication"
)
MANIFEST_COLUMNS = list(MANIFEST_FIELDS)  # the manifest columns ingest reads


def h(text: str) -> Block:
    return Block(text, "heading")


def p(text: str) -> Block:
    return Block(text)


def b(text: str) -> Block:
    return Block(text, "bullet")


def ontario_2008() -> DocSpec:
    blocks = [
        p(MARK),
        h("Settling In: Ontario's Newcomer Settlement Framework 2008"),
        p(
            "This framework is synthetic. It was written by the resdiscourse team to demonstrate "
            "the software and imitates the structure of a provincial policy framework; it is not "
            "a publication of the Government of Ontario and its figures are illustrative."
        ),
        h("Introduction"),
        p(
            "Ontario receives more than half of the immigrants who come to Canada each year. Most "
            "settle in the Greater Toronto Area, but a growing number choose Ottawa, Hamilton, "
            "London, Windsor and other cities across the province."
        ),
        p(
            "Newcomers arrive with skills, savings and ambition. Economic immigrants, who are "
            "selected for their education and work experience, are a key source of resilience "
            "for Ontario's labour market as the baby boom generation retires."
        ),
        h("Settlement Needs"),
        p(
            "Settlement is a process that can take many years. In the first months, newcomers "
            "need practical information (e.g. how to apply for a health card or have a diploma "
            "assessed) and help to find housing and enrol their children in school. Later, they "
            "need help to find work in their field and to take part in community life."
        ),
        p(
            "Some newcomers face greater barriers than others. Refugees who have lived through "
            "war, persecution or years in camps may carry pre-migration trauma and lack the "
            "resilience to manage the stress of resettlement without counselling and other "
            "supports."
        ),
        p(
            "Immigrant youth who arrive in their teens must learn a new language while they "
            "complete high school, and those whose schooling was interrupted can fall behind. "
            "Mentoring and after-school programs help young newcomers build resilience and a "
            "sense of belonging."
        ),
        p(
            "Many immigrant women care for young children at home and have little contact with "
            "services outside their own language community."
        ),
        h("Stress and Resilience after Arrival"),
        p(
            "Post-migration stress is common. Unemployment, poverty and discrimination in the "
            "rental market can wear down the resilience of even the most determined immigrant "
            "families."
        ),
        p(
            "Settlement workers also see extraordinary strength. Many refugee families display a "
            "resilience that allows them to rebuild their lives within a few years, and their "
            "children often do very well at school."
        ),
        h("Provincial Priorities"),
        p("The framework sets four priorities for the next three years:"),
        b(
            "Expand language training, including occupation-specific courses for internationally "
            "trained professionals."
        ),
        b("Improve access to settlement information through a multilingual provincial website."),
        b("Fund community agencies that offer counselling and peer support to refugees."),
        b("Work with regulatory bodies to speed up the recognition of foreign credentials."),
        p(
            "To support the resilience of low-income immigrant families, the Province will "
            "increase income support for families with children and raise the minimum wage in "
            "each of the next three years."
        ),
        h("Planning for the Long Term"),
        p(
            "The government's ten-year capital plan treats the resilience of roads, bridges and "
            "water systems and the settlement of newcomers as separate items with separate "
            "budgets. This framework deals only with settlement."
        ),
        p(
            "Settlement is a shared effort. The Province will work with the federal government, "
            "municipalities, employers and community agencies to coordinate services, and will "
            "report on progress in 2010."
        ),
    ]
    return DocSpec(
        pages=[PageSpec([Band(1, blocks)])],
        header="Province of Ontario \u2014 Newcomer Settlement Framework",
        footer="Page {n} of {total}",
        header_skip_first=True,
        font_size=11,
        seed=2008,
        title="Settling In: Ontario's Newcomer Settlement Framework 2008 (SYNTHETIC)",
    )


def toronto_2010() -> DocSpec:
    opening = [
        p(MARK),
        h("Staff Report: Newcomer Youth and Refugee Families in Toronto"),
        p(
            "This staff report is synthetic. It was written by the resdiscourse team to "
            "demonstrate the software and imitates the structure of a municipal staff report; it "
            "is not a publication of the City of Toronto and its figures are illustrative."
        ),
    ]
    body = [
        h("Summary"),
        p(
            "This report responds to a request from the Community Development and Recreation "
            "Committee for information on newcomer youth and refugee families in Toronto. It "
            "recommends actions that City divisions can take within their existing budgets."
        ),
        h("Recommendations"),
        p("The General Manager, Social Development, recommends that:"),
        p(
            "1. City Council request staff to work with school boards and settlement agencies on "
            "a plan to engage newcomer youth in recreation and employment programs."
        ),
        p(
            "2. City Council request the federal government to restore settlement funding for "
            "agencies that serve refugee youth."
        ),
        h("Background"),
        p(
            "Toronto receives about a third of all immigrants to Canada. Young people aged 15 to "
            "24 make up about one in six newcomers to the city, and many arrive as refugees or "
            "as the children of refugee claimants."
        ),
        h("Newcomer Youth"),
        p(
            "Teachers and youth workers often describe newcomer youth as resilient: they learn "
            "English quickly, help their parents deal with institutions and take part-time jobs "
            "to support the household."
        ),
        p(
            "The same responsibilities can become a burden. Youth who interpret for their "
            "parents or care for younger siblings have less time for school and recreation."
        ),
        p(
            "Refugee youth who witnessed violence before coming to Canada may carry trauma that "
            "affects their learning and relationships, and they need counselling and stable "
            "adult support to develop resilience."
        ),
        p(
            "In neighbourhoods such as St. James Town and Thorncliffe Park, where many newcomer "
            "families live in older high-rise apartment buildings, young people report few safe "
            "places to meet."
        ),
        h("Refugee Families"),
        p(
            "Refugee families arriving in Toronto show great resilience in the face of hardship, "
            "but poverty, overcrowded housing and precarious employment keep that resilience "
            "under constant strain."
        ),
        p(
            "Refugee claimants face added uncertainty while they wait for a hearing, and many are "
            "not eligible for federally funded settlement services."
        ),
        p(
            "Parents who cannot find work in their field often take night shifts or several "
            "part-time jobs, e.g. in cleaning, warehouses or food processing, and have little "
            "time to follow their children's schooling. Settlement agencies asked for more "
            "affordable child care, which would let refugee mothers attend language classes."
        ),
        h("Building Resilience"),
        p(
            "Community agencies told staff that programs which help immigrant youth build "
            "resilience, such as peer mentoring, sports leagues and homework clubs, depend on "
            "short-term grants."
        ),
        p(
            "Youth workers stressed that resilience is not only a personal quality; it grows out "
            "of relationships with family, friends, teachers and neighbours."
        ),
        p(
            "This report does not address the resilience of newcomers over the age of 24, whose "
            "needs will be the subject of a separate report."
        ),
        h("Conclusion"),
        p(
            "Newcomer youth and refugee families bring energy and resilience to Toronto's "
            "neighbourhoods. With modest changes to how City programs are delivered, divisions "
            "can help more young newcomers finish school and find a first job."
        ),
    ]
    return DocSpec(
        pages=[PageSpec([Band(1, opening), Band(2, body)])],
        header="City of Toronto \u2014 Staff Report",
        footer="Page {n} of {total}",
        header_skip_first=True,
        font_size=10.5,
        seed=2010,
        title="Staff Report: Newcomer Youth and Refugee Families in Toronto (SYNTHETIC)",
    )


def ontario_2012() -> DocSpec:
    page1 = [
        Band(
            1,
            [
                p(MARK),
                h("Opportunity Ontario: A Strategy for Immigration and Growth"),
                p(
                    "This strategy is synthetic. It was written by the resdiscourse team to "
                    "demonstrate the software; it is not a publication of the Government of "
                    "Ontario and its figures are illustrative."
                ),
                p(
                    "Ontario's prosperity has always depended on immigration. Immigrants built "
                    "the province's farms, factories and universities, and today they account "
                    "for nearly all of the growth of its labour force. This strategy sets out how "
                    "Ontario will attract the workers and entrepreneurs it needs, help them "
                    "succeed and build a more resilient economy."
                ),
            ],
        ),
        Band(
            2,
            [
                h("Why Immigration Matters"),
                p(
                    "A growing share of Ontario's workers will retire over the next decade. "
                    "Skilled immigrants are essential to the resilience of sectors such as health "
                    "care, engineering and information technology, where shortages are already "
                    "felt."
                ),
                p(
                    "Immigration also drives the resilience and prosperity of smaller "
                    "communities. Newcomers who settle outside the Greater Toronto Area, e.g. in "
                    "Windsor, Sudbury or Thunder Bay, start businesses, fill vacancies and keep "
                    "local schools open."
                ),
                p(
                    "International students are a growing source of talent. Graduates of Ontario "
                    "colleges and universities already hold Canadian credentials, and many want "
                    "to stay."
                ),
            ],
        ),
        Band(
            1,
            [
                p(
                    "The strategy has three goals. 1. Attract a highly skilled workforce to "
                    "strengthen the economy. 2. Help newcomers and their families achieve "
                    "success. 3. Use the international networks of Ontario's diverse communities "
                    "to grow trade and investment."
                ),
            ],
        ),
        Band(
            3,
            [
                h("Priority Actions"),
                p(
                    "Economic immigrants: the Province will ask the federal government to raise "
                    "the share of economic immigrants selected for Ontario to 70 per cent."
                ),
                p(
                    "Entrepreneurs: a new stream will attract immigrant entrepreneurs whose firms "
                    "make regional economies more resilient."
                ),
                p(
                    "Students: international graduates will be able to apply for permanent "
                    "residence without a job offer."
                ),
            ],
        ),
    ]
    page2 = [
        Band(
            1,
            [
                h("Helping Newcomers Succeed"),
                p(
                    "Too many skilled newcomers work in jobs below their qualifications. "
                    "Underemployment wastes talent and lowers family incomes, and recent "
                    "immigrants remain more likely than other Ontarians to live in poverty."
                ),
                p(
                    "Many recent immigrants lost jobs in manufacturing during the recession, and "
                    "their resilience was tested by precarious employment and discrimination in "
                    "hiring."
                ),
            ],
        ),
        Band(
            2,
            [
                p(
                    "Newcomers who find work in their field soon after arrival are more resilient "
                    "when the economy slows, and their families are less likely to fall into "
                    "poverty."
                ),
                p(
                    "Internationally trained professionals need better information before they "
                    "arrive, faster credential assessment and bridge training that leads to a "
                    "licence."
                ),
                p(
                    "Employers have a role to play. Small and medium-sized firms, which employ "
                    "most Ontarians, often lack the capacity to assess international experience."
                ),
                p(
                    "Migrant workers in agriculture, whose work permits are tied to one employer, "
                    "are not covered by this strategy."
                ),
            ],
        ),
        Band(
            1,
            [
                p(
                    "A resilient Ontario economy depends on immigrants who arrive ready to work "
                    "and who can adapt quickly to changing labour markets."
                ),
                h("Measuring Success"),
                b("The share of economic immigrants among newcomers to Ontario."),
                b("Employment rates of newcomers five years after arrival."),
                b("The number of businesses started by immigrant entrepreneurs."),
                p("The Ministry will publish a progress report on these measures every two years."),
            ],
        ),
    ]
    return DocSpec(
        pages=[PageSpec(page1), PageSpec(page2)],
        header="Province of Ontario \u2014 Opportunity Ontario",
        footer="- {n} -",
        header_skip_first=True,
        font_size=10.5,
        seed=2012,
        title="Opportunity Ontario: A Strategy for Immigration and Growth (SYNTHETIC)",
    )


def toronto_2013() -> DocSpec:
    opening = [
        p(MARK),
        h("Toronto Newcomer Strategy: Progress Update 2013"),
        p(
            "This report is synthetic. It was written by the resdiscourse team to demonstrate "
            "the software and imitates the structure of a municipal progress report; it is not "
            "a publication of the City of Toronto and its figures are illustrative."
        ),
    ]
    body = [
        h("Purpose of this Report"),
        p(
            "The Toronto Newcomer Strategy was adopted to improve the settlement experience of "
            "immigrants and refugees in the city. This update summarizes progress in the first "
            "year of implementation and identifies the work that remains for the Newcomer Office "
            "and its community partners."
        ),
        h("Who Are Toronto's Newcomers?"),
        p(
            "Nearly half of Toronto residents were born outside Canada, and every year thousands "
            "of permanent residents, refugees and temporary residents make the city their home. "
            "Recent immigrants are more likely than other residents to live in poverty, and many "
            "live in inner suburban neighbourhoods with limited access to services."
        ),
        p(
            "Newcomers bring education, professional experience and languages that enrich the "
            "city. Skilled immigrants are building the economic resilience of Toronto, filling "
            "shortages in health care, technology and the skilled trades and starting "
            "businesses that employ other residents."
        ),
        h("Refugees and Resilience"),
        p(
            "Staff and community partners consistently describe refugees as showing remarkable "
            "resilience. Families who have survived war and years in camps arrive determined to "
            "rebuild their lives, and many find work within their first year despite limited "
            "English. Their resilience is a personal strength, but it is not a substitute for "
            "public support."
        ),
        p(
            "At the same time, many refugee newcomers need support to cope with trauma, loss and "
            "long periods of separation from family. Newcomer youth with interrupted schooling "
            "may need help to build resilience and adjust to a new school system. Agencies "
            "report that counselling in first languages is difficult to find."
        ),
        p(
            "Resilient newcomer families often rely on informal networks of relatives, "
            "neighbours and faith communities when formal services are not available. Community "
            "leaders told the consultation that these networks are stretched thin."
        ),
        h("Barriers to Settlement"),
        p(
            "Poverty, precarious work and systemic racism continue to shape the settlement "
            "experience. Many newcomers work in temporary or part-time jobs that do not match "
            "their qualifications, and racialized immigrants report discrimination when looking "
            "for work and housing. Participants identified the following barriers:"
        ),
        b("Precarious employment and low wages among recent immigrants."),
        b("Long waiting lists for language classes and credential assessment."),
        b("Systemic racism in hiring and in the rental housing market."),
        b("Limited access to culturally appropriate mental health services."),
        h("Civic Resiliency"),
        p(
            "Toronto's civic resiliency depends on residents' attitudes toward immigration and "
            "on a shared sense of belonging. Surveys show that most residents believe newcomers "
            "make the city stronger, and the Strategy aims to sustain these positive attitudes "
            "through public education and intercultural events in every ward."
        ),
        p(
            "A resilient city is one in which newcomers and long-term residents take part "
            "together in civic life, vote in municipal elections and volunteer in their "
            "neighbourhoods. Residents without citizenship cannot yet vote in municipal "
            "elections, and council has asked staff to report on the question."
        ),
        h("Actions and Next Steps"),
        p(
            "To strengthen the resilience of newcomer families, the City will expand access to "
            "affordable housing through its rent supplement program and will add subsidized "
            "childcare spaces in neighbourhoods where many newcomers live."
        ),
        p(
            "The Newcomer Office will continue to coordinate services across divisions, report "
            "annually to the Community Development and Recreation Committee, and work with the "
            "federal and provincial governments on settlement funding and decision-making "
            "structures."
        ),
        p(
            "The resilience of immigrants and refugees will also be celebrated at the annual "
            "Newcomer Day at City Hall, where residents share their stories of arrival and "
            "success with their neighbours."
        ),
    ]
    return DocSpec(
        pages=[PageSpec([Band(1, opening), Band(2, body)])],
        header="Toronto Newcomer Strategy \u2014 Progress Update",
        footer="Page {n} of {total}",
        header_skip_first=True,
        font_size=10.5,
        seed=2013,
        title="Toronto Newcomer Strategy: Progress Update 2013 (SYNTHETIC)",
    )


def ontario_2015() -> DocSpec:
    blocks = [
        p(MARK),
        h("Ontario's Immigration Strategy: Progress Report 2015"),
        p(
            "This report is synthetic. It was written by the resdiscourse team to demonstrate "
            "the software; it is not a publication of the Government of Ontario and its figures "
            "are illustrative."
        ),
        h("A Province Built by Immigrants"),
        p(
            "Ontario welcomes more immigrants than any other province. Over the past decade, "
            "newcomers have accounted for most of the growth of the provincial labour force, and "
            "their contribution will grow as the population ages and more workers retire."
        ),
        p(
            "The Immigration Strategy sets out how the province will attract skilled immigrants, "
            "help them find work that matches their skills and build communities that welcome "
            "newcomers from around the world."
        ),
        h("Attracting Global Talent"),
        p(
            "Competition for global talent is intensifying. Ontario must attract skilled "
            "immigrants, entrepreneurs and international students who can contribute to "
            "economic growth and innovation. The provincial nominee program selects candidates "
            "with the skills and experience that employers need, and international graduates of "
            "Ontario colleges and universities are a growing source of talent."
        ),
        p(
            "The province will work with the federal government to increase the number of "
            "economic immigrants selected for Ontario and to reduce processing times for "
            "employers who recruit talent abroad."
        ),
        h("Economic Resilience"),
        p(
            "Immigration is essential to the economic resilience of Ontario. As the labour force "
            "grows more slowly, skilled newcomers help sustain the tax base, fill labour "
            "shortages and build resilient regional economies outside the largest cities."
        ),
        p(
            "Entrepreneurs who immigrate to Ontario create businesses that make communities "
            "more resilient to economic change. A skilled and diverse workforce is the "
            "province's greatest competitive advantage in a global economy."
        ),
        h("Helping Newcomers Succeed"),
        p(
            "Bridge training programs help internationally trained professionals obtain a "
            "licence in their field or find related employment. Employment outcomes have "
            "improved, but many highly educated immigrants still work in jobs below their skill "
            "level, and recent immigrants earn less than Canadian-born workers with similar "
            "education."
        ),
        p(
            "The province funds language training, employment services and mentoring in "
            "partnership with employers, colleges and community agencies. Regulated professions "
            "are required to make their registration practices transparent, objective, "
            "impartial and fair."
        ),
        h("Francophone Immigration"),
        p(
            "Ontario has set a target of five per cent francophone immigration. Francophone "
            "newcomers strengthen the vitality of French-speaking communities and bring talent "
            "that employers in bilingual regions are seeking."
        ),
        h("Measuring Results"),
        p("The province will report each year on the following indicators:"),
        b("The number of economic immigrants who settle in Ontario."),
        b("Employment rates and earnings of recent immigrants."),
        b("The share of internationally trained professionals licensed in their field."),
        b("The number of francophone immigrants who settle in Ontario."),
        p(
            "These measures will show whether Ontario is succeeding in attracting talent and "
            "building a resilient economy in which every newcomer can contribute."
        ),
    ]
    return DocSpec(
        pages=[PageSpec([Band(1, blocks)])],
        header="Province of Ontario \u2014 Immigration Strategy Progress Report",
        footer="- {n} -",
        header_skip_first=True,
        font_size=11,
        seed=2015,
        title="Ontario's Immigration Strategy: Progress Report 2015 (SYNTHETIC)",
    )


def toronto_2017_fr() -> DocSpec:
    page1 = [
        Band(
            1,
            [
                p(MARK),
                h(fr("La résilience civique à Toronto : nouveaux arrivants et réfugiés")),
                p(
                    fr(
                        "Ce document est synthétique. Il a été rédigé par l'équipe resdiscourse "
                        "à des fins de démonstration ; il ne s'agit pas d'une publication de la "
                        "Ville de Toronto et les chiffres sont fictifs."
                    )
                ),
            ],
        ),
        Band(
            2,
            [
                p(
                    fr(
                        "La Ville de Toronto définit la résilience civique comme la capacité de "
                        "la collectivité à se préparer aux chocs, à s'adapter et à se relever "
                        "ensemble. Les nouveaux arrivants et les réfugiés font partie intégrante "
                        "de cette résilience."
                    )
                ),
                p(
                    fr(
                        "Les réfugiés arrivés récemment ont fait preuve d'une résilience "
                        "remarquable : beaucoup ont trouvé un logement et un emploi en moins "
                        "d'un an, malgré les obstacles linguistiques et l'éloignement de leur "
                        "famille."
                    )
                ),
                p(
                    fr(
                        "Cependant, de nombreux réfugiés ont besoin de soutien pour surmonter "
                        "le traumatisme vécu avant leur arrivée. Les services de santé mentale "
                        "en français et dans d'autres langues restent insuffisants."
                    )
                ),
            ],
        ),
        Band(
            1,
            [
                p(
                    fr(
                        "La pauvreté, le travail précaire et le racisme systémique fragilisent "
                        "les nouveaux arrivants et limitent leur participation à la vie civique. "
                        "Ces obstacles touchent particulièrement les femmes et les jeunes."
                    )
                )
            ],
        ),
        Band(
            3,
            [
                h(fr("Résilience économique")),
                p(
                    fr(
                        "Les nouveaux arrivants qualifiés renforcent la résilience économique "
                        "de la ville en comblant des pénuries de main-d'œuvre et en créant des "
                        "entreprises dans tous les quartiers."
                    )
                ),
                h(fr("Attitudes des résidents")),
                p(
                    fr(
                        "La résilience civique dépend aussi des attitudes des résidents envers "
                        "l'immigration. Les sondages montrent que la majorité des Torontois "
                        "estiment que les nouveaux arrivants enrichissent la ville."
                    )
                ),
                h(fr("Quartiers résilients")),
                p(
                    fr(
                        "Les quartiers résilients sont ceux où les voisins se connaissent, "
                        "s'entraident et participent aux décisions qui les concernent. Les "
                        "bibliothèques et les centres communautaires y jouent un rôle « de "
                        "carrefour » pour les familles."
                    )
                ),
            ],
        ),
    ]
    page2 = [
        Band(
            1,
            [
                h(fr("Engagements de la Ville")),
                p(
                    fr(
                        "Pour renforcer la résilience des familles nouvellement arrivées, la "
                        "Ville augmentera l'offre de logements abordables et de places en "
                        "garderie subventionnées dans les quartiers où vivent de nombreux "
                        "réfugiés."
                    )
                ),
            ],
        ),
        Band(
            2,
            [
                b(fr("Créer un guichet unique d'accueil pour les nouveaux arrivants.")),
                b(fr("Offrir l'interprétation lors des consultations publiques.")),
                b(fr("Soutenir les organismes francophones d'établissement.")),
                b(fr("Publier chaque année un bilan de la stratégie en français et en anglais.")),
                p(
                    fr(
                        "Les organismes francophones jouent un rôle essentiel dans l'accueil "
                        "des nouveaux arrivants d'expression française, notamment ceux qui "
                        "viennent d'Afrique et d'Haïti. Leur financement demeure toutefois "
                        "fragile."
                    )
                ),
            ],
        ),
        Band(
            1,
            [
                p(
                    fr(
                        "Lors des inondations de l'été, des bénévoles issus de l'immigration "
                        "ont aidé leurs voisins âgés à quitter leur logement, ce qui illustre la "
                        "résilience civique du quartier et la solidarité entre résidents."
                    )
                )
            ],
        ),
        Band(
            3,
            [
                h(fr("Prochaines étapes")),
                p(
                    fr(
                        "Le Bureau des nouveaux arrivants présentera au Conseil un plan de mise "
                        "en œuvre assorti d'indicateurs, c'est-à-dire des mesures précises de "
                        "l'accès aux services, de l'emploi et du sentiment d'appartenance."
                    )
                ),
                p(
                    fr(
                        "La Ville poursuivra le dialogue avec les gouvernements fédéral et "
                        "provincial sur le financement de l'établissement et sur l'accueil des "
                        "demandeurs d'asile."
                    )
                ),
                p(
                    fr(
                        "Enfin, la Ville reconnaîtra la contribution des nouveaux arrivants à "
                        "la vie de Toronto lors d'une journée d'accueil à l'hôtel de ville."
                    )
                ),
            ],
        ),
    ]
    return DocSpec(
        pages=[PageSpec(page1), PageSpec(page2)],
        header=fr("Ville de Toronto \u2014 Résilience civique et nouveaux arrivants"),
        footer="{n}",
        header_skip_first=True,
        font="Vera",
        font_size=10,
        seed=2017,
        title=fr("La résilience civique à Toronto (SYNTHETIC)"),
    )


def toronto_2018() -> DocSpec:
    page1 = [
        Band(
            1,
            [
                p(MARK),
                h("Services for All: Civic Resiliency and Undocumented Torontonians"),
                p(
                    "This update is synthetic. It was written by the resdiscourse team to "
                    "demonstrate the software; it is not a publication of the City of Toronto "
                    "and its figures are illustrative."
                ),
                h("Introduction"),
                p(
                    "City Council has affirmed that all residents, including those without full "
                    "immigration status, should be able to use City services without fear. This "
                    "update reports on that commitment and on the public education campaign "
                    "that accompanies it."
                ),
                p(
                    "The campaign is built on the idea of civic resiliency: a city is resilient "
                    "when its residents trust one another, question their own biases and welcome "
                    "newcomers, whatever their status."
                ),
                h("Undocumented Torontonians"),
                p(
                    "Estimates of the number of undocumented residents in Toronto vary widely. "
                    "Many entered Canada legally, as visitors, students, temporary workers or "
                    "refugee claimants, and lost their status later, e.g. when a work permit "
                    "expired or a claim was refused."
                ),
                p(
                    "Undocumented workers often take the most precarious jobs, in construction, "
                    "cleaning and caregiving, where wage theft and unsafe conditions go "
                    "unreported. Fear of detection keeps many from seeking health care."
                ),
                p(
                    "Despite these conditions, undocumented migrants show great resilience, "
                    "raising families, paying rent and supporting one another through informal "
                    "networks."
                ),
            ],
        ),
        Band(
            2,
            [
                h("Civic Resiliency"),
                p(
                    "Toronto's civic resiliency rests on the everyday choices of its residents. "
                    "When neighbours greet a refugee family moving into their building, or speak "
                    "up when a newcomer is insulted on the bus, they make the whole city more "
                    "resilient."
                ),
                p(
                    "Surveys for the campaign found that one in three residents holds negative "
                    "views of refugees or immigrants, and that such views are more common among "
                    "residents who have little contact with newcomers."
                ),
                p(
                    "The campaign asks every resident to examine their own biases. Resilience, in "
                    "this view, is a shared responsibility: residents, businesses and community "
                    "groups all help newcomers feel that they belong."
                ),
                p(
                    "Islamophobia, anti-Black racism and hostility toward asylum seekers weaken "
                    "the resilience of the city as a whole."
                ),
            ],
        ),
    ]
    page2 = [
        Band(
            1,
            [
                h("Asylum Seekers in 2018"),
                p(
                    "The arrival of more than 2,000 asylum seekers in the spring filled the "
                    "shelter system beyond capacity. Staff opened temporary sites in college "
                    "residences and hotels and asked residents to volunteer."
                ),
                p(
                    "Staff describe refugee claimants living in shelters as resilient and "
                    "resourceful, but many experienced violence on their journey and need trauma "
                    "counselling that few agencies can offer in their languages."
                ),
                p(
                    "Residents near St. Lawrence Market and in other downtown neighbourhoods "
                    "collected clothing, ran English conversation circles and helped families "
                    "find apartments."
                ),
                p(
                    "The Committee's agenda that month covered flood resilience and the housing "
                    "of refugee claimants as two separate items."
                ),
            ],
        ),
        Band(
            2,
            [
                h("Next Steps"),
                p(
                    "The City will continue the campaign in 2019, with posters on transit and in "
                    "libraries in 15 languages, and will train front-line staff so that residents "
                    "are not asked for proof of status."
                ),
                p(
                    "Staff also heard that poverty and the lack of affordable housing make it "
                    "hard for newcomers to stay resilient; these issues fall outside the scope of "
                    "this report and are referred to the federal and provincial governments."
                ),
            ],
        ),
    ]
    return DocSpec(
        pages=[PageSpec(page1), PageSpec(page2)],
        header="City of Toronto \u2014 Services for All: 2018 Update",
        footer="{n}",
        header_skip_first=True,
        font_size=10.5,
        seed=2018,
        title="Services for All: Civic Resiliency and Undocumented Torontonians (SYNTHETIC)",
    )


@dataclass(frozen=True)
class DemoDoc:
    doc_id: str
    spec: DocSpec
    row: dict[str, str]


def documents() -> list[DemoDoc]:
    common = {
        "publisher": "resdiscourse team (synthetic)",
        "council_item": "",
        "url": "",
        "confidence": "H",
        "notes": NOTE,
    }
    documents = [
        DemoDoc(
            "ontario-settlement-framework-2008",
            ontario_2008(),
            {
                **common,
                "title": "Settling In: Ontario's Newcomer Settlement Framework 2008",
                "year": "2008",
                "date": "2008-09-15",
                "jurisdiction": "Province of Ontario",
                "level": "provincial",
                "doc_type": "policy framework",
                "language": "en",
            },
        ),
        DemoDoc(
            "toronto-newcomer-youth-2010",
            toronto_2010(),
            {
                **common,
                "title": "Staff Report: Newcomer Youth and Refugee Families in Toronto",
                "year": "2010",
                "date": "2010-03-22",
                "jurisdiction": "City of Toronto",
                "level": "municipal",
                "doc_type": "staff report",
                "language": "en",
            },
        ),
        DemoDoc(
            "ontario-immigration-strategy-2012",
            ontario_2012(),
            {
                **common,
                "title": "Opportunity Ontario: A Strategy for Immigration and Growth",
                "year": "2012",
                "date": "2012-10-29",
                "jurisdiction": "Province of Ontario",
                "level": "provincial",
                "doc_type": "strategy",
                "language": "en",
            },
        ),
        DemoDoc(
            "toronto-newcomer-update-2013",
            toronto_2013(),
            {
                **common,
                "title": "Toronto Newcomer Strategy: Progress Update 2013",
                "year": "2013",
                "date": "2013-06-10",
                "jurisdiction": "City of Toronto",
                "level": "municipal",
                "doc_type": "progress report",
                "language": "en",
            },
        ),
        DemoDoc(
            "ontario-immigration-progress-2015",
            ontario_2015(),
            {
                **common,
                "title": "Ontario's Immigration Strategy: Progress Report 2015",
                "year": "2015",
                "date": "2015-11-02",
                "jurisdiction": "Province of Ontario",
                "level": "provincial",
                "doc_type": "progress report",
                "language": "en",
            },
        ),
        DemoDoc(
            "toronto-civic-resiliency-2017-fr",
            toronto_2017_fr(),
            {
                **common,
                "title": fr("La résilience civique à Toronto : nouveaux arrivants et réfugiés"),
                "year": "2017",
                "date": "2017-04-18",
                "jurisdiction": "City of Toronto",
                "level": "municipal",
                "doc_type": "report",
                "language": "fr",
            },
        ),
        DemoDoc(
            "ontario-francophone-immigration-2011-fr",
            ontario_2011_fr(),
            {
                **common,
                "title": fr(
                    "Bâtir l'avenir ensemble : plan d'action pour l'immigration francophone "
                    "en Ontario"
                ),
                "year": "2011",
                "date": "2011-05-16",
                "jurisdiction": "Province of Ontario",
                "level": "provincial",
                "doc_type": "action plan",
                "language": "fr",
            },
        ),
        DemoDoc(
            "toronto-francophone-newcomers-2014-fr",
            toronto_2014_fr(),
            {
                **common,
                "title": fr(
                    "Rapport du personnel : l'accueil des nouveaux arrivants francophones à Toronto"
                ),
                "year": "2014",
                "date": "2014-02-24",
                "jurisdiction": "City of Toronto",
                "level": "municipal",
                "doc_type": "staff report",
                "language": "fr",
            },
        ),
        DemoDoc(
            "ontario-regional-immigration-2016-fr",
            ontario_2016_fr(),
            {
                **common,
                "title": fr(
                    "Ensemble dans nos régions : l'immigration dans le Nord et l'Est de l'Ontario"
                ),
                "year": "2016",
                "date": "2016-09-12",
                "jurisdiction": "Province of Ontario",
                "level": "provincial",
                "doc_type": "strategy",
                "language": "fr",
            },
        ),
        DemoDoc(
            "toronto-undocumented-residents-2018",
            toronto_2018(),
            {
                **common,
                "title": "Services for All: Civic Resiliency and Undocumented Torontonians",
                "year": "2018",
                "date": "2018-07-09",
                "jurisdiction": "City of Toronto",
                "level": "municipal",
                "doc_type": "progress report",
                "language": "en",
            },
        ),
        # English then French in one PDF: no language given, so ingest detects it (the
        # majority) and codes each part with its own language's terms.
        DemoDoc(
            "ontario-community-resilience-2018",
            ontario_2018_bilingual(),
            {
                **common,
                "title": fr(
                    "Community Resilience and Newcomers in Eastern Ontario / La résilience "
                    "communautaire et les nouveaux arrivants dans l'Est de l'Ontario"
                ),
                "year": "2018",
                "date": "2018-03-19",
                "jurisdiction": "Province of Ontario",
                "level": "provincial",
                "doc_type": "bulletin",
                "language": "",
            },
        ),
    ]
    return sorted(documents, key=lambda doc: doc.row["date"])


def main(out_dir: Path = CORPORA / "demo", truth_dir: Path = CORPORA / "demo-truth") -> None:
    # The truth texts live outside the corpus folder, so that ingesting the corpus does not read
    # them.
    out_dir.mkdir(parents=True, exist_ok=True)
    truth_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    for doc in documents():
        result = build_pdf(doc.spec)
        pages = len(result.page_texts)
        if not 2 <= pages <= 3:
            raise SystemExit(f"{doc.doc_id}: {pages} pages, expected 2-3")
        if not result.truth_text.startswith(MARK):
            raise SystemExit(f"{doc.doc_id}: the first line must be {MARK!r}")
        file_name = f"{doc.doc_id}.pdf"
        (out_dir / file_name).write_bytes(result.pdf)
        (truth_dir / f"{doc.doc_id}.txt").write_bytes(result.truth_text.encode("utf-8"))
        rows.append({"doc_id": doc.doc_id, "file": file_name, **doc.row})
        print(f"{file_name}: {pages} pages, {len(result.truth_text.split())} words")
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=MANIFEST_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    (out_dir / "manifest.csv").write_bytes(buf.getvalue().encode("utf-8"))


if __name__ == "__main__":
    main()
