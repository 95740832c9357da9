"""Arguments a command lacks or names wrongly: each picker returns the row, or raises the `Ask`
whose buttons offer what the caller may choose (periods, clusters, units, fixed words)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from bot.desk.request import ALL, Request, token, token_id
from bot.desk.scope import Desk
from bot.domain.callbacks import encode
from bot.domain.replies import Button, Reply
from bot.domain.roles import out_of_scope
from bot.edge.turn import Ask
from bot.storage.models import Cluster, Period, Unit

__all__ = [
    "button_label",
    "choice",
    "cluster_first",
    "outside",
    "period_and_cluster",
    "pick_cluster",
    "pick_cluster_or_all",
    "pick_period",
    "pick_unit",
    "pick_word",
]

_BUTTON_LIMIT = 60  # more buttons than this make a keyboard no one can scan on a phone
_LABEL_WIDTH = 60  # characters of a label a phone shows on a one-column button


def choice(
    desk: Desk,
    command: str,
    prefix: Sequence[str],
    question: str,
    options: Sequence[tuple[str, str]],
    *,
    columns: int = 1,
) -> Ask:
    """The question for the next argument, one button per option (label, token)."""
    _ = desk._
    if not options:
        if desk.caller.is_admin:
            return Ask([Reply(_("Chưa có gì để chọn. Hãy nhập tệp thiết lập trước (/import)."))])
        return Ask([Reply(_("Chưa có gì để chọn."))])
    shown = list(options)[:_BUTTON_LIMIT]
    buttons = [
        Button(button_label(label), encode("c", command, *prefix, tok)) for label, tok in shown
    ]
    rows = tuple(tuple(buttons[i : i + columns]) for i in range(0, len(buttons), columns))
    if len(options) > len(shown):
        question += "\n" + _("(Chỉ hiện {shown}/{count} lựa chọn; gõ mã sau lệnh /{command}.)")
        question = question.format(shown=len(shown), count=len(options), command=command)
    return Ask([Reply(question, rows)])


def button_label(label: str) -> str:
    """The label whole, or cut at a word with «…»: a name cut mid-word reads as another name."""
    if len(label) <= _LABEL_WIDTH:
        return label
    cut = label[: _LABEL_WIDTH - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:–-") + "…"


def outside(desk: Desk, name: str) -> Ask:
    """A row the caller named but may not reach from here."""
    if desk.caller.is_admin:
        return Ask([Reply(desk._("«{name}» không thuộc phạm vi đã chọn.").format(name=name))])
    return Ask([Reply(out_of_scope(desk.locale))])


def _not_found(desk: Desk, what: str, text: str, asked: Ask) -> Ask:
    """An unknown code: say so, then ask again."""
    first = desk._("Không tìm thấy {what} «{code}».").format(what=what, code=text)
    return Ask([Reply(first), *asked.items])


Row = TypeVar("Row", Period, Cluster)


def _reachable(
    desk: Desk, row: Row | None, text: str, reachable: Sequence[Row], what: str, asked: Ask
) -> Row:
    """The row `text` named, if the caller may reach it; else why not, and the question."""
    if row is None:
        raise _not_found(desk, what, text, asked)
    if row.id not in {r.id for r in reachable}:
        raise outside(desk, row.name)
    return row


def pick_period(desk: Desk, request: Request, index: int, prefix: Sequence[str]) -> Period:
    """Argument `index` as a period the caller may reach."""
    _ = desk._
    reachable = desk.periods_in_scope()
    options = [(period.name, token(period)) for period in reachable]
    asked = choice(desk, request.command, prefix, _("Chọn kỳ báo cáo:"), options)
    text = request.word(index)
    if text is None:
        raise asked
    return _reachable(desk, desk.period(text), text, reachable, _("kỳ báo cáo"), asked)


def pick_cluster(
    desk: Desk, request: Request, index: int, prefix: Sequence[str], reachable: list[Cluster]
) -> Cluster:
    """A cluster among `reachable`; the only one is taken as given."""
    cluster = pick_cluster_or_all(desk, request, index, prefix, reachable, every=False)
    assert cluster is not None  # only `every` reads the word meaning all clusters
    return cluster


def pick_cluster_or_all(
    desk: Desk,
    request: Request,
    index: int,
    prefix: Sequence[str],
    reachable: list[Cluster],
    *,
    every: bool,
) -> Cluster | None:
    """A cluster among `reachable`, or None for "all" when `every`."""
    _ = desk._
    options = [(f"{c.name} ({c.code})", token(c)) for c in reachable]
    if every and len(reachable) > 1:
        options.insert(0, (_("Tất cả các cụm"), ALL))
    asked = choice(desk, request.command, prefix, _("Chọn cụm:"), options)
    text = request.word(index)
    if text is None:
        if len(reachable) == 1:
            return reachable[0]
        raise asked
    if every and text == ALL:
        return None
    return _reachable(desk, desk.cluster(text), text, reachable, _("cụm"), asked)


def pick_unit(
    desk: Desk, request: Request, index: int, prefix: Sequence[str], reachable: list[Cluster]
) -> Unit:
    """A unit of the reachable clusters: first the cluster (if several), then the unit."""
    _ = desk._
    text = request.word(index)
    cluster = desk.cluster(text) if text and token_id(text, "c") is not None else None
    if text is None or cluster is not None:
        if cluster is None and len(reachable) != 1:
            raise cluster_first(desk, request, prefix, reachable)
        chosen = cluster or reachable[0]
        if chosen.id not in {c.id for c in reachable}:
            raise outside(desk, chosen.name)
        question = _("Chọn đơn vị của {cluster}:").format(cluster=chosen.name)
        options = [(unit.name, token(unit)) for unit in desk.units(chosen)]
        raise choice(desk, request.command, prefix, question, options, columns=2)
    unit = desk.unit(text)
    if unit is None:
        raise _not_found(desk, _("đơn vị"), text, cluster_first(desk, request, prefix, reachable))
    if not any(unit.id in {u.id for u in desk.units(c)} for c in reachable):
        raise outside(desk, unit.name)
    return unit


def cluster_first(
    desk: Desk, request: Request, prefix: Sequence[str], reachable: list[Cluster]
) -> Ask:
    """The question for the cluster whose units are offered next."""
    options = [(f"{c.name} ({c.code})", token(c)) for c in reachable]
    return choice(desk, request.command, prefix, desk._("Chọn cụm, rồi chọn đơn vị:"), options)


def pick_word(
    desk: Desk,
    request: Request,
    index: int,
    prefix: Sequence[str],
    question: str,
    options: Sequence[tuple[str, str]],
) -> str:
    """One of a few fixed words (a format, a role), by button or typed."""
    text = request.word(index)
    if text is None:
        raise choice(desk, request.command, prefix, question, options, columns=len(options))
    if text.lower() not in {tok for _label, tok in options}:
        raise Ask([Reply(desk._("«{word}» không phải lựa chọn hợp lệ.").format(word=text))])
    return text.lower()


def period_and_cluster(
    desk: Desk, request: Request, *, every: bool
) -> tuple[Period, Cluster | None]:
    """Words 0 and 1: a period the caller reaches and one of its clusters (or all)."""
    period = pick_period(desk, request, 0, [])
    reachable = desk.clusters_in_scope(period)
    cluster = pick_cluster_or_all(desk, request, 1, [token(period)], reachable, every=every)
    return period, cluster
