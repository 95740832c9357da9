"""`/export`: a period's latest figures as an Excel or CSV file."""

from __future__ import annotations

import io

from bot.desk.pickers import period_and_cluster, pick_word
from bot.desk.request import ALL, Request, token
from bot.desk.scope import Desk
from bot.edge.send import Attachment, Item

__all__ = ["FORMATS", "export"]

FORMATS = ("xlsx", "csv")


def export(desk: Desk, request: Request) -> list[Item]:
    """`/export [period] [cluster|*] [xlsx|csv]`: the period's latest figures as a file."""
    _ = desk._
    words = request.words
    chosen_format: str | None
    if len(words) >= 2 and words[1].lower() in FORMATS:
        chosen_format, words = words[1], words[:1]  # no cluster: the one the chair leads
    else:
        chosen_format, words = request.word(2), words[:2]
    period, cluster = period_and_cluster(
        desk, Request(request.command, words), every=desk.caller.is_admin
    )
    options = [(_("Excel (.xlsx)"), "xlsx"), (_("CSV (.csv)"), "csv")]
    prefix = (token(period), token(cluster) if cluster else ALL)
    question = _("Xuất số liệu kỳ «{period}» dạng nào?").format(period=period.name)
    given = Request(request.command, prefix + ((chosen_format,) if chosen_format else ()))
    fmt = pick_word(desk, given, 2, prefix, question, options)
    from bot.reports import export_rows, write_csv, write_xlsx

    rows = export_rows(
        desk.session,
        period_id=period.id or 0,
        cluster_id=cluster.id if cluster else None,
        locale=desk.locale,
    )
    out = io.BytesIO()
    if fmt == "csv":
        write_csv(rows, out)
    else:
        write_xlsx(rows, out, locale=desk.locale)
    name = f"so-lieu-{period.code}-{cluster.code if cluster else 'tat-ca'}.{fmt}"
    caption = _("Số liệu kỳ «{period}» – {scope}").format(
        period=period.name, scope=cluster.name if cluster else _("tất cả các cụm")
    )
    return [Attachment(name, out.getvalue(), caption=caption)]
