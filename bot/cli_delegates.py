"""`thidua delegates`: a conference's list of delegates (danh sách đại biểu) as an Excel file."""

from __future__ import annotations

from pathlib import Path

import click

from bot.cli_words import N_, Command
from bot.domain.i18n import gettext_for

__all__ = ["delegates"]


@click.command(
    cls=Command,
    help=N_("Ghi danh sách đại biểu: đơn vị, họ tên, chức vụ, vai trò trong đoàn, có mặt."),
)
@click.option("--conference", "conference_code", required=True, help=N_("Mã hội nghị."))
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def delegates(conference_code: str, out: Path) -> None:
    """Write the list of delegates: unit, full name, position, role in the delegation, present."""
    # Imported late, like the other report commands: the CLI starts fast without them.
    from bot.cli_common import _conference, _database, _settings, _write_file
    from bot.reports.delegates import delegates_workbook
    from bot.storage import session_scope
    from bot.storage.checkin import attendance_of
    from bot.storage.conferences import registration_states
    from bot.storage.models import Cluster

    settings = _settings()
    _ = gettext_for(settings.locale)
    with session_scope(_database(settings)) as session:
        conference = _conference(session, conference_code, settings.locale)
        cluster = session.get(Cluster, conference.cluster_id)
        units = registration_states(session, conference=conference)
        content = delegates_workbook(
            title=conference.name,
            cluster=cluster.name if cluster else "",
            units=units,
            attendance=attendance_of(session, conference=conference),
            locale=settings.locale,
        )
    _write_file(out, content, settings.locale)
    people = sum(len(unit.delegates) for unit in units)
    click.echo(
        _("Đã ghi danh sách {count} đại biểu của {units} đơn vị vào {file}.").format(
            count=people, units=sum(1 for u in units if u.delegates), file=out
        )
    )
