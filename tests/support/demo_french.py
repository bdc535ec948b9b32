"""The French and bilingual documents of the synthetic demo corpus (``make_demo.py`` writes them).

All text below was written by the resdiscourse team for this demonstration (CC0); none of it is
taken from a government publication. It imitates the French and bilingual publications of the
Province of Ontario and the City of Toronto (the jurisdictions and years of the paper's corpus
rule, so that ``replicate demo`` keeps every document), with "résilience" next to "immigrants",
"réfugiés" and "nouveaux arrivants" in the framings the Bhuyan-Leung codebook tells apart.
"""

from __future__ import annotations

from tests.support.synthpdf import Band, Block, DocSpec, PageSpec

MARK = "SYNTHETIC DEMONSTRATION DOCUMENT"


def fr(text: str) -> str:
    """French text is written with ' and typeset with the typographic apostrophe."""
    return text.replace("'", "\u2019")


def h(text: str) -> Block:
    return Block(fr(text), "heading")


def p(text: str) -> Block:
    return Block(fr(text))


def b(text: str) -> Block:
    return Block(fr(text), "bullet")


def ontario_2011_fr() -> DocSpec:
    blocks = [
        p(MARK),
        h("Bâtir l'avenir ensemble : plan d'action pour l'immigration francophone en Ontario"),
        p(
            "Ce plan d'action est synthétique. Il a été rédigé par l'équipe resdiscourse à des "
            "fins de démonstration et imite la structure d'un document provincial ; il ne s'agit "
            "pas d'une publication du gouvernement de l'Ontario et les chiffres sont fictifs."
        ),
        h("Contexte"),
        p(
            "L'Ontario compte la plus importante communauté francophone au Canada hors Québec. "
            "Chaque année, plusieurs milliers d'immigrants d'expression française s'installent "
            "à Ottawa, à Toronto, à Sudbury et dans l'Est ontarien, notamment en provenance "
            "d'Afrique, d'Haïti et d'Europe."
        ),
        p(
            "Les immigrants francophones contribuent à la vitalité des communautés de langue "
            "française et à la résilience économique des régions où la main-d'œuvre se fait "
            "rare."
        ),
        h("Les besoins des nouveaux arrivants"),
        p(
            "Les nouveaux arrivants ont besoin d'information dans leur langue dès leur arrivée, "
            "par exemple pour inscrire leurs enfants à l'école de langue française ou faire "
            "reconnaître un diplôme obtenu à l'étranger."
        ),
        p(
            "Les réfugiés qui ont connu la guerre ou la persécution portent souvent un "
            "traumatisme profond ; ils ont besoin de services de counseling en français pour "
            "retrouver leur résilience et reconstruire leur vie."
        ),
        p(
            "Malgré ces épreuves, les familles réfugiées font preuve d'une résilience "
            "remarquable : en quelques années, la plupart des parents occupent un emploi et "
            "leurs enfants réussissent à l'école."
        ),
        p(
            "La précarité d'emploi, la discrimination à l'embauche et la difficulté de trouver "
            "un logement abordable minent toutefois la résilience des immigrantes et des "
            "immigrants les plus vulnérables."
        ),
        h("Priorités provinciales"),
        p("Le plan fixe quatre priorités pour les trois prochaines années :"),
        b("Offrir des cours de langue et de formation professionnelle en français."),
        b("Renforcer les centres d'accueil francophones dans les régions."),
        b("Faciliter la reconnaissance des titres de compétences étrangers."),
        b("Appuyer les employeurs qui recrutent des travailleurs qualifiés francophones."),
        p(
            "Les centres d'accueil francophones aident les jeunes immigrants à développer leur "
            "résilience grâce au mentorat, au sport et aux activités culturelles."
        ),
        h("Planification à long terme"),
        p(
            "Le plan d'infrastructure de la province traite séparément la résilience des routes "
            "et des ponts et l'établissement des nouveaux arrivants ; le présent document ne "
            "porte que sur l'établissement."
        ),
        p(
            "Le ministère présentera un bilan de ce plan d'action en 2013, en français et en "
            "anglais, après avoir consulté les organismes francophones, les collèges et les "
            "conseils scolaires."
        ),
    ]
    return DocSpec(
        pages=[PageSpec([Band(1, blocks)])],
        header=fr("Gouvernement de l'Ontario \u2014 Immigration francophone"),
        footer="Page {n} de {total}",
        header_skip_first=True,
        font="Vera",
        font_size=10.5,
        seed=2011,
        title=fr("Bâtir l'avenir ensemble (SYNTHETIC)"),
    )


def toronto_2014_fr() -> DocSpec:
    opening = [
        p(MARK),
        h("Rapport du personnel : l'accueil des nouveaux arrivants francophones à Toronto"),
        p(
            "Ce rapport est synthétique. Il a été rédigé par l'équipe resdiscourse à des fins de "
            "démonstration ; il ne s'agit pas d'une publication de la Ville de Toronto et les "
            "chiffres sont fictifs."
        ),
    ]
    first = [
        h("Sommaire"),
        p(
            "Le présent rapport répond à une demande du Comité au sujet de l'accueil des "
            "nouveaux arrivants et des réfugiés francophones à Toronto. Il recommande des "
            "mesures que les "
            "services municipaux peuvent prendre dans les limites de leur budget."
        ),
        h("Recommandations"),
        p("La directrice générale du Développement social recommande :"),
        p(
            "1. Que le Conseil demande au personnel de travailler avec les conseils scolaires "
            "et les organismes d'établissement à un plan pour les jeunes nouveaux arrivants."
        ),
        p(
            "2. Que le Conseil demande au gouvernement fédéral de rétablir le financement des "
            "organismes qui servent les réfugiés."
        ),
        h("Contexte"),
        p(
            "Toronto accueille chaque année environ 3 000 immigrants d'expression française, "
            "dont près d'un sur cinq arrive comme réfugié ou demandeur d'asile."
        ),
        h("Les jeunes nouveaux arrivants"),
        p(
            "Les enseignants décrivent les jeunes nouveaux arrivants comme résilients : ils "
            "apprennent vite, servent d'interprètes à leurs parents et occupent un emploi à "
            "temps partiel."
        ),
        p(
            "Les jeunes réfugiés qui ont été témoins de violence peuvent cependant manquer de "
            "résilience et ont besoin d'un soutien psychologique stable pour s'adapter à leur "
            "nouvelle école."
        ),
        p(
            "Dans les quartiers comme Regent Park et Flemingdon Park, où vivent de nombreuses "
            "familles nouvellement arrivées, les jeunes disent manquer de lieux sûrs où se "
            "retrouver."
        ),
    ]
    second = [
        h("Les familles réfugiées"),
        p(
            "Les familles réfugiées montrent une grande résilience face à l'adversité, mais la "
            "pauvreté et les logements surpeuplés mettent cette résilience à rude épreuve."
        ),
        p(
            "Le présent rapport ne traite pas de la résilience des réfugiés devant les "
            "changements climatiques, une question qui relève du plan sur l'environnement."
        ),
        p(
            "Les organismes d'établissement demandent à la Ville d'augmenter le nombre de places "
            "en garderie subventionnées, ce qui permettrait aux mères réfugiées de suivre des "
            "cours de langue."
        ),
        h("Conséquences financières"),
        p("Les mesures recommandées n'entraînent aucune dépense nouvelle en 2014."),
    ]
    return DocSpec(
        pages=[PageSpec([Band(1, opening), Band(2, first)]), PageSpec([Band(2, second)])],
        header=fr("Ville de Toronto \u2014 Rapport du personnel"),
        footer="Page {n} de {total}",
        header_skip_first=True,
        font="Vera",
        font_size=10.5,
        seed=2014,
        title=fr("L'accueil des nouveaux arrivants francophones à Toronto (SYNTHETIC)"),
    )


def ontario_2016_fr() -> DocSpec:
    page1 = [
        Band(
            1,
            [
                p(MARK),
                h("Ensemble dans nos régions : l'immigration dans le Nord et l'Est de l'Ontario"),
                p(
                    "Cette stratégie est synthétique. Elle a été rédigée par l'équipe "
                    "resdiscourse à des fins de démonstration ; il ne s'agit pas d'une "
                    "publication du gouvernement de l'Ontario et les chiffres sont fictifs."
                ),
                p(
                    "Le vieillissement de la population et le départ à la retraite de milliers de "
                    "travailleurs transforment le marché du travail du Nord et de l'Est de "
                    "l'Ontario. L'immigration fait partie de la réponse."
                ),
            ],
        ),
        Band(
            2,
            [
                h("Une main-d'œuvre pour les régions"),
                p(
                    "Les travailleurs immigrants qualifiés sont essentiels à la résilience des "
                    "secteurs agricole, manufacturier et de la santé, qui connaissent déjà des "
                    "pénuries de main-d'œuvre."
                ),
                p(
                    "Les entrepreneurs immigrants renforcent la résilience économique des "
                    "petites villes en reprenant des commerces et en créant des emplois."
                ),
                p(
                    "Les étudiants étrangers formés dans les collèges et les universités de "
                    "Sudbury, de Timmins et d'Ottawa forment un bassin de talents que les régions "
                    "souhaitent retenir."
                ),
            ],
        ),
        Band(
            1,
            [
                p(
                    "La stratégie poursuit trois objectifs. 1. Attirer en région des personnes "
                    "immigrantes qualifiées. 2. Favoriser leur pleine participation, en français "
                    "comme en anglais. 3. Mobiliser les communautés d'accueil."
                ),
            ],
        ),
        Band(
            3,
            [
                h("Des communautés accueillantes"),
                p(
                    "La résilience des communautés d'accueil repose sur l'ouverture de leurs "
                    "résidents envers les personnes immigrantes et sur la lutte contre les "
                    "préjugés."
                ),
                h("Des familles résilientes"),
                p(
                    "Les familles réfugiées installées en région font preuve de résilience et "
                    "de courage, malgré l'isolement et les hivers rigoureux."
                ),
                h("Des obstacles persistants"),
                p(
                    "Le racisme, la non-reconnaissance des diplômes et l'emploi précaire "
                    "affaiblissent la résilience des personnes immigrantes."
                ),
            ],
        ),
    ]
    page2 = [
        Band(
            1,
            [
                h("Ce que demandent les régions"),
                p(
                    "Les municipalités du Nord demandent au gouvernement fédéral d'investir dans "
                    "le transport entre les villes, sans lequel bien des nouveaux arrivants ne "
                    "peuvent se rendre au travail."
                ),
            ],
        ),
        Band(
            2,
            [
                b("Ouvrir un bureau régional d'accueil dans chaque région administrative."),
                b("Offrir des cours de langue à temps partiel sur les lieux de travail."),
                b("Soutenir les organismes d'accueil et les municipalités partenaires."),
                p(
                    "Les municipalités jouent un rôle de premier plan dans l'accueil, notamment "
                    "par leurs bibliothèques, leurs loisirs et leurs politiques familiales."
                ),
            ],
        ),
        Band(
            1,
            [
                p(
                    "Lors des inondations du printemps, des bénévoles issus de l'immigration ont "
                    "aidé des sinistrés à nettoyer leur maison, un geste qui témoigne de la "
                    "résilience collective des régions."
                )
            ],
        ),
        Band(
            2,
            [
                h("Suivi"),
                p(
                    "Le ministère publiera chaque année des indicateurs sur l'emploi, la "
                    "formation linguistique et la rétention des personnes immigrantes en région."
                ),
                p(
                    "Il poursuivra le dialogue avec le gouvernement fédéral sur les niveaux "
                    "d'immigration et l'accueil des demandeurs d'asile."
                ),
            ],
        ),
    ]
    return DocSpec(
        pages=[PageSpec(page1), PageSpec(page2)],
        header=fr("Gouvernement de l'Ontario \u2014 Immigration dans les régions"),
        footer="- {n} -",
        header_skip_first=True,
        font="Vera",
        font_size=10,
        seed=2016,
        title=fr("Ensemble dans nos régions (SYNTHETIC)"),
    )


def ontario_2018_bilingual() -> DocSpec:
    english = [
        Band(
            1,
            [
                Block(MARK),
                Block("Community Resilience and Newcomers in Eastern Ontario", "heading"),
                Block(
                    "This bulletin is synthetic. It was written by the resdiscourse team to "
                    "demonstrate the software; it is not a publication of the Government of "
                    "Ontario and its figures are illustrative. The French version follows the "
                    "English one."
                ),
            ],
        ),
        Band(
            2,
            [
                Block("Why Community Resilience", "heading"),
                Block(
                    "The Province's resilience strategy asks how communities prepare for floods, "
                    "heat waves and other shocks, and how residents look after one another."
                ),
                Block(
                    "During the 2017 floods, newcomers and refugee volunteers filled sandbags "
                    "alongside long-time residents, and their help made the affected "
                    "neighbourhoods more resilient."
                ),
                Block(
                    "Recently arrived refugees show remarkable resilience, yet many still live "
                    "with the trauma of war and need counselling in their own languages."
                ),
                Block("Provincial Commitments", "heading"),
                Block(
                    "The Province will publish flood maps and emergency guides in twelve "
                    "languages and train settlement workers in emergency preparedness."
                ),
                Block(
                    "Municipal emergency plans will name a contact for settlement agencies, and "
                    "each plan will be tested with residents every second year."
                ),
                Block(
                    "To strengthen the resilience of newcomer families, the Province will fund "
                    "affordable housing in the communities where most refugees settle."
                ),
            ],
        ),
    ]
    french = [
        Band(
            1,
            [
                h("La résilience communautaire et les nouveaux arrivants dans l'Est de l'Ontario"),
                p(
                    "Ce bulletin est synthétique. Il a été rédigé par l'équipe resdiscourse à "
                    "des fins de démonstration ; il ne s'agit pas d'une publication du "
                    "gouvernement de l'Ontario et les chiffres sont fictifs."
                ),
            ],
        ),
        Band(
            2,
            [
                h("Pourquoi la résilience communautaire"),
                p(
                    "La stratégie de résilience de la province examine comment les collectivités "
                    "se préparent aux inondations, aux vagues de chaleur et aux autres chocs, et "
                    "comment les résidents s'entraident."
                ),
                p(
                    "Lors des inondations de 2017, des nouveaux arrivants et des bénévoles "
                    "réfugiés ont rempli des sacs de sable aux côtés des résidents de longue "
                    "date, et leur aide a rendu les quartiers touchés plus résilients."
                ),
                p(
                    "Les réfugiés arrivés récemment font preuve d'une résilience remarquable, "
                    "mais beaucoup vivent encore avec le traumatisme de la guerre et ont besoin "
                    "de counseling dans leur langue."
                ),
                h("Engagements de la province"),
                p(
                    "La province publiera des cartes des zones inondables et des guides "
                    "d'urgence en douze langues et formera les intervenants en établissement à "
                    "la préparation aux situations d'urgence."
                ),
                p(
                    "Les plans d'urgence municipaux nommeront une personne-ressource pour les "
                    "organismes d'établissement, et chaque plan sera mis à l'essai avec les "
                    "résidents tous les deux ans."
                ),
                p(
                    "Pour renforcer la résilience des familles nouvellement arrivées, la "
                    "province financera des logements abordables dans les collectivités où "
                    "s'installent la plupart des réfugiés."
                ),
            ],
        ),
    ]
    return DocSpec(
        pages=[PageSpec(english), PageSpec(french)],
        header=fr("Ontario \u2014 Community Resilience / Résilience communautaire"),
        footer="{n}",
        header_skip_first=True,
        font="Vera",
        font_size=10.5,
        seed=2019,
        title="Community Resilience and Newcomers in Eastern Ontario (SYNTHETIC)",
    )
