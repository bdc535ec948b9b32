"""Reports of a ``resdiscourse code`` output folder: summary tables, charts and one
self-contained ``report.html``."""

from resdiscourse.report.build import ReportSummary, build_report
from resdiscourse.report.tables import summary_tables

__all__ = ["ReportSummary", "build_report", "summary_tables"]
