"""`thidua export`, `thidua status` and `thidua report`: a period's figures, who has submitted,
and the draft of the cluster's report."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from bot.cli_common import (
    _database,
    _fail,
    _period_and_cluster,
    _settings,
    _write_file,
    _write_pdf,
)
from bot.cli_words import N_
from bot.domain.i18n import gettext_for
from bot.storage import session_scope

__all__ = ["export", "report", "status"]


@click.command(
    help=N_(
        "Xuất số liệu mới nhất của một kỳ ra Excel hoặc CSV, mỗi dòng một đơn vị và một chỉ tiêu."
    )
)
@click.option("--period", "period_code", required=True, help=N_("Mã kỳ báo cáo."))
@click.option("--cluster", "cluster_code", default=None, help=N_("Mã một cụm (mặc định: tất cả)."))
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["xlsx", "csv"]),
    default="xlsx",
    show_default=True,
)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def export(period_code: str, cluster_code: str | None, file_format: str, out: Path) -> None:
    """Export a period's latest figures, one row per unit and indicator, as Excel or CSV."""
    from bot.reports import export_rows, write_csv, write_xlsx  # imported late, like demo

    settings = _settings()
    _ = gettext_for(settings.locale)
    with session_scope(_database(settings)) as session:
        period, cluster = _period_and_cluster(session, period_code, cluster_code, settings.locale)
        rows = list(
            export_rows(
                session,
                period_id=period.id or 0,
                cluster_id=None if cluster is None else cluster.id,
                locale=settings.locale,
            )
        )
    # Written beside the target and renamed: a failed export never leaves half a file.
    partial = out.with_name(out.name + ".partial")
    try:
        with partial.open("wb") as handle:
            if file_format == "csv":
                write_csv(rows, handle)
            else:
                write_xlsx(rows, handle, locale=settings.locale)
        partial.replace(out)
    except OSError as error:
        partial.unlink(missing_ok=True)
        _fail(_("Không ghi được tệp {file}: {reason}").format(file=out, reason=error.strerror))
    click.echo(_("Đã xuất {count} dòng vào {file}.").format(count=len(rows), file=out))


@click.command(
    help=N_("Cho biết theo từng cụm: đơn vị nào đã nộp, nộp muộn, bị trả lại hoặc chưa nộp.")
)
@click.option("--period", "period_code", required=True, help=N_("Mã kỳ báo cáo."))
def status(period_code: str) -> None:
    """Show, per cluster, which units have submitted, late, returned or not yet."""
    from bot.reports import status_lines
    from bot.storage.progress import unit_progress
    from bot.storage.reports import period_clusters

    settings = _settings()
    with session_scope(_database(settings)) as session:
        period, _cluster = _period_and_cluster(session, period_code, None, settings.locale)
        clusters = [
            (cluster, unit_progress(session, period=period, cluster_id=cluster.id or 0))
            for cluster in period_clusters(session, period_id=period.id or 0)
        ]
        lines = status_lines(period, clusters, locale=settings.locale)
    click.echo("\n".join(lines))


@click.command(help=N_("Ghi dự thảo báo cáo sơ kết, tổng kết của cụm ra tệp Word."))
@click.option("--period", "period_code", required=True, help=N_("Mã kỳ báo cáo."))
@click.option("--cluster", "cluster_code", required=True, help=N_("Mã cụm."))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help=N_("Tệp .docx cần ghi [mặc định tên như Bao-cao-so-ket-2026-h1-kt-cum2.docx]."),
)
@click.option("--pdf", is_flag=True, help=N_("Ghi thêm bản PDF bên cạnh (cần LibreOffice)."))
def report(period_code: str, cluster_code: str, out: Path | None, pdf: bool) -> None:
    """Write the draft of the cluster's report (báo cáo sơ kết / tổng kết) for Word."""
    from bot.reports.draft import report_draft

    settings = _settings()
    _ = gettext_for(settings.locale)
    with session_scope(_database(settings)) as session:
        period, cluster = _period_and_cluster(session, period_code, cluster_code, settings.locale)
        assert cluster is not None  # a code was given
        year = datetime.now(ZoneInfo(period.timezone)).year  # day and month: the clerk's
        name, content = report_draft(
            session, period=period, cluster=cluster, dated=year, locale=settings.locale
        )
    target = out or Path(name)
    _write_file(target, content, settings.locale)
    click.echo(_("Đã ghi dự thảo báo cáo vào {file}.").format(file=target))
    if pdf:
        _write_pdf(target, content, settings.locale)
