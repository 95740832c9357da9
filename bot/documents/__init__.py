"""Papers in the layout of Decree 30/2020: the report, the minutes, the invitation (DOCX, PDF)."""

from bot.documents.invitation import invitation_docx
from bot.documents.minutes import minutes_docx
from bot.documents.model import (
    AgendaItem,
    Attendance,
    Conference,
    Delegate,
    IndicatorGroup,
    Invitation,
    Letterhead,
    Minutes,
    Participant,
    TallyRow,
    VoteTally,
)
from bot.documents.names import (
    invitation_file_name,
    minutes_file_name,
    report_file_name,
    review_kind,
)
from bot.documents.pdf import ConversionError, to_pdf
from bot.documents.report import report_docx

__all__ = [
    "AgendaItem",
    "Attendance",
    "Conference",
    "ConversionError",
    "Delegate",
    "IndicatorGroup",
    "Invitation",
    "Letterhead",
    "Minutes",
    "Participant",
    "TallyRow",
    "VoteTally",
    "invitation_docx",
    "invitation_file_name",
    "minutes_docx",
    "minutes_file_name",
    "report_docx",
    "report_file_name",
    "review_kind",
    "to_pdf",
]
