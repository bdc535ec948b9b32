"""``resdiscourse compare``: agreement between the automatic coding and human coders (DESIGN §8)."""

from resdiscourse.compare.core import ComparisonReport, compare

__all__ = ["ComparisonReport", "compare"]
