"""`thidua pledge`: a cluster's registered targets for a year (and who signed) as CSV or Excel."""

from __future__ import annotations

import io
from pathlib import Path

import click

from bot.cli_words import N_, Command
from bot.domain.i18n import gettext_for

__all__ = ["pledge"]


@click.command(
    cls=Command,
    help=N_(
        "Xuất chỉ tiêu đăng ký giao ước: mỗi dòng một đơn vị và một chỉ tiêu có giao chỉ tiêu."
    ),
)
@click.option("--cluster", "cluster_code", required=True, help=N_("Mã cụm."))
@click.option("--year", required=True, type=int, help=N_("Năm đăng ký giao ước."))
@click.option(
    "--format", "file_format", type=click.Choice(["xlsx", "csv"]), default="xlsx", show_default=True
)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def pledge(cluster_code: str, year: int, file_format: str, out: Path) -> None:
    """Export a pledge's targets: one row per unit and indicator that takes a target."""
    # Imported late, like the other report commands: the CLI starts fast without them.
    from bot.cli_common import _database, _fail, _settings, _write_file
    from bot.reports.pledge import write_pledge_csv, write_pledge_xlsx
    from bot.storage import session_scope
    from bot.storage.pledge_progress import pledge_rows
    from bot.storage.pledges import pledge_of, window_of
    from bot.storage.reports import cluster_by_code

    settings = _settings()
    _ = gettext_for(settings.locale)
    with session_scope(_database(settings)) as session:
        cluster = cluster_by_code(session, cluster_code)
        if cluster is None:
            _fail(_("Không có cụm mã «{code}».").format(code=cluster_code))
        chosen = pledge_of(session, cluster_id=cluster.id or 0, year=year)
        if chosen is None:
            _fail(
                _("Cụm «{cluster}» không có giao ước năm {year}.").format(
                    cluster=cluster_code, year=year
                )
            )
        window = window_of(session, chosen.id or 0)
        timezone = window.timezone if window else "Asia/Ho_Chi_Minh"
        rows = pledge_rows(session, cluster=cluster, pledge=chosen)
    buffer = io.BytesIO()
    if file_format == "csv":
        write_pledge_csv(rows, buffer, timezone=timezone)
    else:
        write_pledge_xlsx(rows, buffer, timezone=timezone, locale=settings.locale)
    _write_file(out, buffer.getvalue(), settings.locale)
    click.echo(_("Đã xuất {count} dòng chỉ tiêu vào {file}.").format(count=len(rows), file=out))
