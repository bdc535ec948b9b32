"""Write the synthetic demo corpus: 3 PDFs, their truth texts and manifest.csv.

Run from the repository root (reportlab needed, the ``dev`` extra):

    python corpora/demo/make_demo.py

The output is byte-identical on every run. All text below was written by the resdiscourse team for
this demonstration (CC0); none of it is taken from a government publication.
"""

from __future__ import annotations

import csv
import io
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent

try:
    from resdiscourse.models import MANIFEST_FIELDS
    from resdiscourse.testing.synthpdf import Band, Block, DocSpec, PageSpec, build_pdf
except ImportError:  # running from a checkout without an installed package
    sys.path.insert(0, str(HERE.parents[1] / "src"))
    from resdiscourse.models import MANIFEST_FIELDS
    from resdiscourse.testing.synthpdf import Band, Block, DocSpec, PageSpec, build_pdf

MARK = "SYNTHETIC DEMONSTRATION DOCUMENT"
NOTE = (
    "SYNTHETIC demonstration document written by the resdiscourse team (CC0); "
    "not a government publication"
)
MANIFEST_COLUMNS = list(MANIFEST_FIELDS)  # the manifest contract of DESIGN §12


def _fr(text: str) -> str:
    """French text is written with ' and typeset with the typographic apostrophe."""
    return text.replace("'", "\u2019")


def h(text: str) -> Block:
    return Block(text, "heading")


def p(text: str) -> Block:
    return Block(text)


def b(text: str) -> Block:
    return Block(text, "bullet")


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
                h(_fr("La résilience civique à Toronto : nouveaux arrivants et réfugiés")),
                p(
                    _fr(
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
                    _fr(
                        "La Ville de Toronto définit la résilience civique comme la capacité de "
                        "la collectivité à se préparer aux chocs, à s'adapter et à se relever "
                        "ensemble. Les nouveaux arrivants et les réfugiés font partie intégrante "
                        "de cette résilience."
                    )
                ),
                p(
                    _fr(
                        "Les réfugiés arrivés récemment ont fait preuve d'une résilience "
                        "remarquable : beaucoup ont trouvé un logement et un emploi en moins "
                        "d'un an, malgré les obstacles linguistiques et l'éloignement de leur "
                        "famille."
                    )
                ),
                p(
                    _fr(
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
                    _fr(
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
                h(_fr("Résilience économique")),
                p(
                    _fr(
                        "Les nouveaux arrivants qualifiés renforcent la résilience économique "
                        "de la ville en comblant des pénuries de main-d'œuvre et en créant des "
                        "entreprises dans tous les quartiers."
                    )
                ),
                h(_fr("Attitudes des résidents")),
                p(
                    _fr(
                        "La résilience civique dépend aussi des attitudes des résidents envers "
                        "l'immigration. Les sondages montrent que la majorité des Torontois "
                        "estiment que les nouveaux arrivants enrichissent la ville."
                    )
                ),
                h(_fr("Quartiers résilients")),
                p(
                    _fr(
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
                h(_fr("Engagements de la Ville")),
                p(
                    _fr(
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
                b(_fr("Créer un guichet unique d'accueil pour les nouveaux arrivants.")),
                b(_fr("Offrir l'interprétation lors des consultations publiques.")),
                b(_fr("Soutenir les organismes francophones d'établissement.")),
                b(_fr("Publier chaque année un bilan de la stratégie en français et en anglais.")),
                p(
                    _fr(
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
                    _fr(
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
                h(_fr("Prochaines étapes")),
                p(
                    _fr(
                        "Le Bureau des nouveaux arrivants présentera au Conseil un plan de mise "
                        "en œuvre assorti d'indicateurs, c'est-à-dire des mesures précises de "
                        "l'accès aux services, de l'emploi et du sentiment d'appartenance."
                    )
                ),
                p(
                    _fr(
                        "La Ville poursuivra le dialogue avec les gouvernements fédéral et "
                        "provincial sur le financement de l'établissement et sur l'accueil des "
                        "demandeurs d'asile."
                    )
                ),
                p(
                    _fr(
                        "Enfin, la Ville reconnaîtra la contribution des nouveaux arrivants à "
                        "la vie de Toronto lors d'une journée d'accueil à l'hôtel de ville."
                    )
                ),
            ],
        ),
    ]
    return DocSpec(
        pages=[PageSpec(page1), PageSpec(page2)],
        header=_fr("Ville de Toronto \u2014 Résilience civique et nouveaux arrivants"),
        footer="{n}",
        header_skip_first=True,
        font="Vera",
        font_size=10,
        seed=2017,
        title=_fr("La résilience civique à Toronto (SYNTHETIC)"),
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
    return [
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
                "title": _fr("La résilience civique à Toronto : nouveaux arrivants et réfugiés"),
                "year": "2017",
                "date": "2017-04-18",
                "jurisdiction": "City of Toronto",
                "level": "municipal",
                "doc_type": "report",
                "language": "fr",
            },
        ),
    ]


def main(out_dir: Path = HERE, truth_dir: Path = HERE.parent / "demo-truth") -> None:
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
