"""What an import changed (or would change), as lines for the command line and the chat."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Protocol

from bot.domain.i18n import gettext_for

__all__ = ["change_lines", "changes_summary"]

_SIGNS = {"created": "+", "updated": "~", "retired": "-", "removed": "-"}


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


def change_lines(changes: Sequence[ChangeLike]) -> list[str]:
    """`+ unit sa-thay {"name": "Huyện Sa Thầy"}`, `~ …  {"name": "old → new"}`, one per change."""
    lines = []
    for change in changes:
        detail: dict[str, Any] | None = (
            change.after if change.action != "removed" else change.before
        )
        if change.action == "updated":
            detail = {
                k: f"{change.before[k]} → {v}"
                for k, v in (change.after or {}).items()
                if change.before
            }
        text = json.dumps(detail, ensure_ascii=False) if detail else ""
        lines.append(f"{_SIGNS[change.action]} {change.entity} {change.key} {text}".rstrip())
    return lines


def changes_summary(count: int, *, dry_run: bool, locale: str) -> str:
    """The closing line: nothing changed, a dry run, or what was imported."""
    _ = gettext_for(locale)
    if not count:
        return _("Không có gì thay đổi.")
    if dry_run:
        return _("Chạy thử: {count} thay đổi, chưa ghi gì.").format(count=count)
    return _("Đã nhập: {count} thay đổi.").format(count=count)
