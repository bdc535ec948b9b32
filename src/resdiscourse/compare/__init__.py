"""``resdiscourse compare``: agreement between the automatic coding and human coders."""

from resdiscourse.compare.core import compare
from resdiscourse.compare.results import ComparisonReport

__all__ = ["ComparisonReport", "compare"]
