"""`thidua votes --conference CODE`: each vote of a conference with its count, as published."""

from __future__ import annotations

import click

from bot.cli_words import N_, Command
from bot.domain.i18n import gettext_for

__all__ = ["votes"]


@click.command(
    cls=Command,
    help=N_(
        "In từng biểu quyết của hội nghị: cách bầu, trạng thái và kết quả kiểm phiếu khi đã mở."
    ),
)
@click.option("--conference", "conference_code", required=True, help=N_("Mã hội nghị."))
def votes(conference_code: str) -> None:
    """Print each vote of a conference: its settings and state, and the count once opened."""
    # Imported late, like the other report commands: the CLI starts fast without them.
    from bot.cli_common import _database, _fail, _settings
    from bot.notices.votes import counted_text
    from bot.storage import session_scope
    from bot.storage.conferences import conference_by_code, votes_of
    from bot.storage.vote_results import count_vote

    settings = _settings()
    locale = settings.locale
    _ = gettext_for(locale)
    with session_scope(_database(settings)) as session:
        conference = conference_by_code(session, code=conference_code)
        if conference is None:
            _fail(_("Không tìm thấy hội nghị «{code}».").format(code=conference_code))
        rows = votes_of(session, conference_id=conference.id or 0)
        if not rows:
            click.echo(_("Hội nghị «{name}» chưa có biểu quyết nào.").format(name=conference.name))
        for number, row in enumerate(rows):
            if number:
                click.echo("")
            counted = count_vote(session, row)
            if counted is None:
                click.echo(
                    _("🗳 «{title}» ({code}): chưa mở.").format(title=row.title, code=row.code)
                )
                continue
            if row.state != "closed":
                click.echo(_("(Đang mở: số phiếu đến lúc này.)"))
            click.echo(counted_text(counted, locale))
