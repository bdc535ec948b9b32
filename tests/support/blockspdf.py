"""A one-page PDF whose layout blocks name both concepts of the Bhuyan & Leung codebook: a table
of contents and a table, then one sentence of prose. Dev-only: needs reportlab."""

from __future__ import annotations

from pathlib import Path

#: The prose sentence, the only one that ``code`` retrieves by default.
PROSE = "Refugees in the city showed resilience after the flood."


def contents_pdf(path: Path) -> Path:
    """A page with a table of contents and a table that name both concepts, then prose."""
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=(612, 792), invariant=1)
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(72, 712, "Contents")
    pdf.setFont("Helvetica", 10)
    entries = ["Resilience of refugees", "Newcomers and housing", "Resilient immigrant families"]
    for index, entry in enumerate(entries):
        pdf.drawString(72, 682 - 14 * index, f"{entry} {'.' * 40} {index + 3}")
    rows = [("Group", "Score"), ("Refugee resilience", "0.82"), ("Immigrant resilience", "0.77")]
    for index, (left, right) in enumerate(rows):
        pdf.drawString(72, 600 - 14 * index, left)
        pdf.drawString(320, 600 - 14 * index, right)
    pdf.drawString(72, 540, PROSE)
    pdf.showPage()
    pdf.save()
    return path
