"""Document commands as turns: the Word file goes out with the step's reply; its PDF is made
afterwards by LibreOffice, off the database's thread, and follows when it is ready."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Sequence

from telegram import Update

from bot.desk.papers import Paper
from bot.desk.request import Request
from bot.desk.scope import Desk
from bot.documents.pdf import ConversionError, to_pdf
from bot.domain.i18n import gettext_for
from bot.domain.replies import Reply
from bot.edge.context import BotContext
from bot.edge.send import Item, send
from bot.handlers.desk_steps import Handler, run_desk

__all__ = ["PaperStep", "with_pdf"]

log = logging.getLogger(__name__)

PaperStep = Callable[[Desk, Request], Sequence[Item | Paper]]

# One LibreOffice at a time: each takes a core for seconds, and the machine serves officers.
_CONVERTING = threading.BoundedSemaphore(1)


def with_pdf(step: PaperStep) -> Handler:
    """A handler whose step's papers are sent as Word files, then each as PDF if it can be."""

    async def handle(update: Update, context: BotContext, request: Request) -> None:
        papers: list[Paper] = []

        def word_files(desk: Desk, request: Request) -> list[Item]:
            papers.clear()  # a step run once more (a dropped connection) starts afresh
            items = step(desk, request)
            papers.extend(item for item in items if isinstance(item, Paper))
            return [item.docx() if isinstance(item, Paper) else item for item in items]

        await run_desk(update, context, request, word_files)
        for paper in papers:
            item = await asyncio.to_thread(_pdf_of, paper)
            if item is not None:
                await send(update, [item], locale=paper.locale)

    return handle


def _pdf_of(paper: Paper) -> Item | None:
    """The paper as PDF; None without LibreOffice; a short apology if the conversion fails."""
    with _CONVERTING:
        try:
            content = to_pdf(paper.content)
        except ConversionError:
            log.exception("could not convert %s to PDF", paper.file_name)
            _ = gettext_for(paper.locale)
            return Reply(_("Chưa tạo được bản PDF; bản Word ở trên vẫn dùng được."))
    return None if content is None else paper.pdf(content)
