"""What an import changed (or would change), as lines for the command line and the chat."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any, Protocol

from bot.domain.change_words import change_sentence, entity_word
from bot.domain.i18n import gettext_for

__all__ = ["change_counts", "change_lines", "changes_summary"]


class ChangeLike(Protocol):
    @property
    def action(self) -> str: ...
    @property
    def entity(self) -> str: ...
    @property
    def key(self) -> str: ...
    @property
    def before(self) -> dict[str, Any] | None: ...
    @property
    def after(self) -> dict[str, Any] | None: ...


def change_lines(changes: Sequence[ChangeLike], *, timezone: str, locale: str) -> list[str]:
    """One sentence per change: `Thêm đơn vị sa-thay: “Xã Sa Thầy”`, `Sửa tên đơn vị
    sa-thay: “Xã Sa Thầy” → “Xã Sa Bình”`; times in `timezone`."""
    return [
        change_sentence(
            change.action,
            change.entity,
            change.key,
            change.before,
            change.after,
            timezone=timezone,
            locale=locale,
        )
        for change in changes
    ]


def change_counts(changes: Sequence[ChangeLike], locale: str) -> str:
    """`3 thêm chỉ tiêu giao, 1 sửa kỳ báo cáo`: changes not listed one by one, by kind."""
    _ = gettext_for(locale)
    verbs = {"created": _("thêm"), "updated": _("sửa"), "retired": _("ngừng dùng")}
    counts = Counter((change.action, change.entity) for change in changes)
    return ", ".join(
        f"{count} {verbs.get(action, _('bỏ'))} {entity_word(entity, locale)}"
        for (action, entity), count in counts.most_common()
    )


def changes_summary(count: int, *, dry_run: bool, locale: str) -> str:
    """The closing line: nothing changed, a dry run, or what was imported."""
    _ = gettext_for(locale)
    if not count:
        return _("Không có gì thay đổi.")
    if dry_run:
        return _("Chạy thử: {count} thay đổi, chưa ghi gì.").format(count=count)
    return _("Đã nhập: {count} thay đổi.").format(count=count)
