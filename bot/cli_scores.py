"""`thidua scores`: a period's scores and ranking (or every leaf with --detail) as CSV or Excel."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import click

from bot.cli_words import N_, Command
from bot.domain.i18n import gettext_for
from bot.domain.scoring import CLUSTER, LAYERS

__all__ = ["scores"]


@click.command(
    cls=Command,
    help=N_(
        "Xuất điểm của một kỳ: mỗi dòng một đơn vị theo thứ hạng, hoặc một đơn vị và một tiêu chí."
    ),
)
@click.option("--period", "period_code", required=True, help=N_("Mã kỳ báo cáo."))
@click.option("--cluster", "cluster_code", default=None, help=N_("Mã một cụm (mặc định: tất cả)."))
@click.option(
    "--layer",
    type=click.Choice(LAYERS),
    default=CLUSTER,
    show_default=True,
    help=N_("self (tự chấm), cluster (cụm chấm lại) hoặc approved (điểm duyệt)."),
)
@click.option(
    "--format", "file_format", type=click.Choice(["xlsx", "csv"]), default="xlsx", show_default=True
)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--detail", is_flag=True, help=N_("Mỗi dòng một đơn vị và một tiêu chí, đủ ba lớp điểm.")
)
def scores(
    period_code: str,
    cluster_code: str | None,
    layer: str,
    file_format: str,
    out: Path,
    detail: bool,
) -> None:
    """Export a period's scores: one row per unit in rank order, or per unit and leaf."""
    # Imported late, like the other report commands: the CLI starts fast without them.
    from bot.cli_common import _database, _fail, _period_and_cluster, _settings, _write_file
    from bot.reports.scores import (
        DetailRow,
        ScoreRow,
        detail_rows,
        score_rows,
        write_scores_csv,
        write_scores_xlsx,
    )
    from bot.storage import session_scope

    settings = _settings()
    _ = gettext_for(settings.locale)
    with session_scope(_database(settings)) as session:
        period, cluster = _period_and_cluster(session, period_code, cluster_code, settings.locale)
        period_id, cluster_id = period.id or 0, None if cluster is None else cluster.id
        rows: Sequence[ScoreRow | DetailRow] = (
            detail_rows(session, period_id=period_id, period=period.code, cluster_id=cluster_id)
            if detail
            else score_rows(
                session, period_id=period_id, period=period.code, cluster_id=cluster_id, layer=layer
            )
        )
    if not rows:
        _fail(_("Kỳ «{period}» chưa có cụm nào có bảng chấm điểm.").format(period=period_code))
    buffer = io.BytesIO()
    if file_format == "csv":
        write_scores_csv(rows, buffer, detail=detail)
    else:
        write_scores_xlsx(rows, buffer, locale=settings.locale, detail=detail)
    _write_file(out, buffer.getvalue(), settings.locale)
    click.echo(_("Đã xuất {count} dòng điểm vào {file}.").format(count=len(rows), file=out))
