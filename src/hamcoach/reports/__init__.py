"""Reports for people: the HTML audit report of one set and the annotated video.

Pure library functions (they never print); the CLI in :mod:`hamcoach.cli.analysis` calls them.
"""

from hamcoach.reports.annotate import write_annotated_video
from hamcoach.reports.audit_report import render_audit_report, write_audit_report
from hamcoach.reports.frames import pictures_of

__all__ = ["pictures_of", "render_audit_report", "write_annotated_video", "write_audit_report"]
