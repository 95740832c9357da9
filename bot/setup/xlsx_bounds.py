"""Bounds on reading an Excel set-up file: checked in the zip before parsing, then per row."""

from __future__ import annotations

import io
import time
import zipfile

from bot.domain.i18n import gettext_for
from bot.domain.sizes import file_size
from bot.setup.limits import SETUP_LIMITS, SetupLimits
from bot.setup.loading import count, refuse_too_big
from bot.setup.model import Problem, SetupError

__all__ = ["RowBudget", "refuse_oversized_workbook"]

# A small part may compress very well (a sheet of blank styled rows); only a large one matters.
_RATIO_FROM = 1024 * 1024


def refuse_oversized_workbook(
    content: bytes, locale: str, limits: SetupLimits = SETUP_LIMITS
) -> None:
    """Refuse a workbook too big as sent, or unzipping to too much, before openpyxl opens it."""
    refuse_too_big(len(content), locale, limits)
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip at all: openpyxl says it is no workbook
    # The sizes the zip declares bound what is read: a part that inflates beyond its
    # declared size fails its length and CRC checks instead of being read whole.
    _ = gettext_for(locale)
    total = sum(part.file_size for part in parts)
    if total > limits.xlsx_bytes:
        message = _("tệp Excel khi giải nén nặng {size}, quá giới hạn {limit}.").format(
            size=file_size(total, locale), limit=file_size(limits.xlsx_bytes, locale)
        )
        raise SetupError([Problem("", message)])
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > _RATIO_FROM and ratio > limits.xlsx_ratio:
            message = _(
                "tệp Excel bị nén bất thường (phần {part} nén {ratio} lần, giới hạn {limit} "
                "lần) nên không được đọc."
            ).format(part=part.filename, ratio=int(ratio), limit=limits.xlsx_ratio)
            raise SetupError([Problem("", message)])


class RowBudget:
    """Rows, cells and seconds left for reading a workbook's sheets; refuses when spent."""

    def __init__(self, locale: str, limits: SetupLimits = SETUP_LIMITS) -> None:
        self._, self.locale = gettext_for(locale), locale
        self.limits = limits
        self.rows = 0
        self.cells = 0
        self.deadline = time.monotonic() + limits.xlsx_seconds

    def spend(self, cells: int) -> None:
        """Count one row of `cells` cells read."""
        _, limits = self._, self.limits
        self.rows, self.cells = self.rows + 1, self.cells + cells
        if self.rows > limits.xlsx_rows:
            self._refuse(
                _("tệp Excel có quá {limit} dòng.").format(limit=self._n(limits.xlsx_rows))
            )
        if self.cells > limits.xlsx_cells:
            self._refuse(_("tệp Excel có quá {limit} ô.").format(limit=self._n(limits.xlsx_cells)))
        if time.monotonic() >= self.deadline:
            message = _(
                "đọc tệp Excel mất quá {seconds} giây: hãy chia thành các tệp nhỏ hơn."
            ).format(seconds=f"{limits.xlsx_seconds:g}")
            self._refuse(message)

    def _n(self, number: int) -> str:
        return count(number, self.locale)

    def _refuse(self, message: str) -> None:
        raise SetupError([Problem("", message)])
