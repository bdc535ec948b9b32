"""A generated corpus for the scale benchmarks: ``--n`` policy-like PDFs, seeded and reproducible.

Run: ``python benchmarks/make_corpus.py --seed 0 --n 100 --out /tmp/corpus-100``.

Each document has 5 to 30 pages (log-normal around a median of 12, clipped), about 330 words a
page in paragraphs under headings; 10 % of the documents are French. Sentences come from
templates filled with seeded word choices. Per 1,000 sentences, ``--migrant`` name migrants
(without resilience), ``--resilience`` name resilience (without migrants) and ``--both`` name both
in one sentence (what ``code`` retrieves). The defaults:

- migrant: 64 per 1,000, the rate measured on ``../shared/corpora-real/pdfs`` (20 real PDFs, 792
  pages: 888 of 13,823 sentences name migrants; pypdfium2 text, sentences split at . ! ?);
- resilience and both: those real PDFs have no sentence with resilience at all, so these are set
  by hand, 4 and 6 per 1,000 (at 6, a 12-page document gives about 1.5 retrieved segments).

The script prints the densities it used and the corpus size. Needs reportlab (the dev extra).
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
from collections.abc import Iterator
from pathlib import Path

# The PDF generators are dev-only: tests/support/ in the repository, not in the package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.synthpdf import (
    Band,
    Block,
    DocSpec,
    PageSpec,
    SyntheticPdf,
    build_pdf,
)

WORDS_PER_PAGE = 330
#: Per 1,000 sentences (see the module docstring for where they come from).
DEFAULT_RATES = {"migrant": 64.0, "resilience": 4.0, "both": 6.0}
FRENCH_SHARE = 0.10

EN = {
    "subject": [
        "The city",
        "Council",
        "The province",
        "This plan",
        "The department",
        "Staff",
        "The strategy",
        "The working group",
        "Our partners",
        "The program",
    ],
    "verb": [
        "will review",
        "supports",
        "funds",
        "monitors",
        "coordinates",
        "expands",
        "reports on",
        "improves",
        "maintains",
        "assesses",
    ],
    "object": [
        "transit service levels",
        "the capital budget",
        "road maintenance",
        "affordable housing targets",
        "library hours",
        "water infrastructure",
        "public health programs",
        "the procurement process",
        "employment services",
        "community recreation",
    ],
    "tail": [
        "over the next three years",
        "in every ward",
        "with community agencies",
        "as set out in the appendix",
        "within existing resources",
        "before the end of the fiscal year",
        "through annual reports",
        "in partnership with the province",
    ],
    "migrant": [
        "newcomers",
        "immigrants",
        "refugees",
        "refugee claimants",
        "migrant workers",
        "asylum seekers",
    ],
    "resilience": ["resilience", "resilient", "resiliency"],
    "migrant_sentence": "{subject} {verb} settlement services for {migrant} {tail}.",
    "resilience_sentence": "{subject} {verb} the {resilience} of {object} {tail}.",
    "both_sentence": [
        "{subject} {verb} programs that build the {resilience} of {migrant} {tail}.",
        "Many {migrant} show {resilience} when {object} are strained {tail}.",
        "{subject} recognizes that {migrant} need {resilience} supports {tail}.",
    ],
    "plain_sentence": "{subject} {verb} {object} {tail}.",
    "heading": ["Background", "Analysis", "Recommendations", "Financial impact", "Next steps"],
}
FR = {
    "subject": [
        "La ville",
        "Le conseil",
        "La province",
        "Ce plan",
        "Le service",
        "Le personnel",
        "La stratégie",
        "Nos partenaires",
    ],
    "verb": [
        "examinera",
        "appuie",
        "finance",
        "surveille",
        "coordonne",
        "élargit",
        "améliore",
        "évalue",
    ],
    "object": [
        "le service de transport en commun",
        "le budget d'immobilisations",
        "l'entretien des routes",
        "les cibles de logement abordable",
        "les heures des bibliothèques",
        "les infrastructures d'eau",
        "les programmes de santé publique",
    ],
    "tail": [
        "au cours des trois prochaines années",
        "dans chaque quartier",
        "avec les organismes communautaires",
        "selon l'annexe",
        "avec les ressources existantes",
    ],
    "migrant": [
        "les nouveaux arrivants",
        "les immigrants",
        "les réfugiés",
        "les demandeurs d'asile",
    ],
    "resilience": ["la résilience"],
    "migrant_sentence": "{subject} {verb} les services d'établissement pour {migrant} {tail}.",
    "resilience_sentence": "{subject} {verb} {resilience} de {object} {tail}.",
    "both_sentence": [
        "{subject} {verb} des programmes qui renforcent {resilience} chez {migrant} {tail}.",
        "{subject} reconnaît {resilience} dont font preuve {migrant} {tail}.",
    ],
    "plain_sentence": "{subject} {verb} {object} {tail}.",
    "heading": [
        "Contexte",
        "Analyse",
        "Recommandations",
        "Incidence financière",
        "Prochaines étapes",
    ],
}


def page_counts(rng: random.Random, n: int) -> list[int]:
    """Log-normal page counts around 12, clipped to 5..30."""
    return [max(5, min(30, round(rng.lognormvariate(math.log(12), 0.45)))) for _ in range(n)]


def sentence(rng: random.Random, bank: dict[str, object], kind: str) -> str:
    template = bank[f"{kind}_sentence"]
    if isinstance(template, list):
        template = rng.choice(template)
    fields: dict[str, str] = {
        key: rng.choice(values)  # type: ignore[arg-type]
        for key, values in bank.items()
        if key in ("subject", "verb", "object", "tail", "migrant", "resilience")
    }
    text = str(template).format(**fields)
    return text[0].upper() + text[1:]


def document(rng: random.Random, pages: int, french: bool, rates: dict[str, float]) -> DocSpec:
    bank: dict[str, object] = FR if french else EN  # type: ignore[assignment]
    kinds = ["migrant", "resilience", "both"]
    page_specs = []
    for _ in range(pages):
        blocks = [Block(rng.choice(bank["heading"]), "heading")]  # type: ignore[arg-type]
        words = 0
        while words < WORDS_PER_PAGE:
            sentences = []
            for _ in range(rng.randint(3, 6)):
                draw, kind = rng.random() * 1000, "plain"
                for name in kinds:
                    if draw < rates[name]:
                        kind = name
                        break
                    draw -= rates[name]
                sentences.append(sentence(rng, bank, kind))
            paragraph = " ".join(sentences)
            words += len(paragraph.split())
            blocks.append(Block(paragraph))
        page_specs.append(PageSpec([Band(1, blocks)]))
    return DocSpec(page_specs, seed=rng.randrange(1 << 30), footer="Page {n} of {total}")


def generate(
    n: int, seed: int, rates: dict[str, float]
) -> Iterator[tuple[str, bool, SyntheticPdf]]:
    """The corpus, document by document: (file stem, French?, the PDF with its exact text)."""
    rng = random.Random(seed)
    for number, pages in enumerate(page_counts(rng, n)):
        french = number % round(1 / FRENCH_SHARE) == round(1 / FRENCH_SHARE) - 1  # exactly 10 %
        name = f"generated-{number:05d}{'-fr' if french else ''}"
        yield name, french, build_pdf(document(rng, pages, french, rates))


def make_corpus(out: Path, n: int, seed: int, rates: dict[str, float]) -> dict[str, float]:
    """Write ``n`` PDFs into ``out``; returns what was written (documents, pages, French...)."""
    out.mkdir(parents=True, exist_ok=True)
    counts, french = [], 0
    for name, is_french, pdf in generate(n, seed, rates):
        (out / f"{name}.pdf").write_bytes(pdf.pdf)
        counts.append(len(pdf.page_texts))
        french += is_french
    return {
        "documents": n,
        "pages": sum(counts),
        "median_pages": statistics.median(counts) if counts else 0,
        "french": french,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--n", type=int, default=100, help="documents to generate")
    parser.add_argument("--out", type=Path, required=True)
    for name, rate in DEFAULT_RATES.items():
        parser.add_argument(f"--{name}", type=float, default=rate, help="per 1,000 sentences")
    args = parser.parse_args()
    rates = {"migrant": args.migrant, "resilience": args.resilience, "both": args.both}
    made = make_corpus(args.out, args.n, args.seed, rates)
    print(
        f"{made['documents']} PDFs in {args.out}: {made['pages']} pages (median "
        f"{made['median_pages']}), {made['french']} French; seed {args.seed}"
    )
    print(
        f"density per 1,000 sentences: migrants {args.migrant}, resilience {args.resilience}, "
        f"both in one sentence {args.both}"
    )


if __name__ == "__main__":
    main()
