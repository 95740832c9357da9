"""`thidua minutes`, `thidua invitation`: a stored conference's papers as Word files (and PDF)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from bot.cli_words import N_, Command
from bot.domain.i18n import Translate, gettext_for

__all__ = ["invitation", "minutes"]

Draft = Callable[..., tuple[str, bytes]]

_CONFERENCE = click.option(
    "--conference", "conference_code", required=True, help=N_("Mã hội nghị.")
)
_PDF = click.option("--pdf", is_flag=True, help=N_("Ghi thêm bản PDF bên cạnh (cần LibreOffice)."))


def _out(help_text: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    return click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help=help_text)


@click.command(cls=Command, help=N_("Ghi biên bản hội nghị: có mặt, chủ trì, thư ký, biểu quyết."))
@_CONFERENCE
@_out(N_("Tệp .docx cần ghi [mặc định tên như Bien-ban-2026-h1-hn.docx]."))
@_PDF
def minutes(conference_code: str, out: Path | None, pdf: bool) -> None:
    """Write the minutes (biên bản) of a conference: attendance, chair, secretary, votes."""
    from bot.reports.conference_papers import minutes_draft

    _write_paper(
        conference_code, out, pdf, minutes_draft, lambda _: _("Đã ghi biên bản vào {file}.")
    )


@click.command(cls=Command, help=N_("Ghi giấy mời dự hội nghị."))
@_CONFERENCE
@_out(N_("Tệp .docx cần ghi [mặc định tên như Giay-moi-2026-h1-hn.docx]."))
@_PDF
def invitation(conference_code: str, out: Path | None, pdf: bool) -> None:
    """Write the invitation (giấy mời) to a conference."""
    from bot.reports.conference_papers import invitation_draft

    _write_paper(
        conference_code, out, pdf, invitation_draft, lambda _: _("Đã ghi giấy mời vào {file}.")
    )


def _write_paper(
    code: str, out: Path | None, pdf: bool, draft: Draft, done: Callable[[Translate], str]
) -> None:
    """The conference's paper written to `out` (or to its name for people), and its PDF."""
    # Imported late, like the other report commands: the CLI starts fast without them.
    from bot.cli_common import _conference, _database, _settings, _write_file, _write_pdf
    from bot.storage import session_scope

    settings = _settings()
    _ = gettext_for(settings.locale)
    with session_scope(_database(settings)) as session:
        conference = _conference(session, code, settings.locale)
        name, content = draft(session, conference=conference, locale=settings.locale)
    target = out or Path(name)
    _write_file(target, content, settings.locale)
    click.echo(done(_).format(file=target))
    if pdf:
        _write_pdf(target, content, settings.locale)
