"""The body that runs the clusters, as notices and papers name it: `THIDUA_ADMIN_BODY`.

Read once with the settings (bot/settings.py sets it), so that a message deep in a step or a
document need not carry the settings to name it; "Ban Thi đua – Khen thưởng" until then."""

from __future__ import annotations

__all__ = ["DEFAULT_ADMIN_BODY", "admin_body", "use_admin_body"]

DEFAULT_ADMIN_BODY = "Ban Thi đua – Khen thưởng"
_current = [DEFAULT_ADMIN_BODY]


def admin_body() -> str:
    """`Ban Thi đua – Khen thưởng`, or the name the settings give."""
    return _current[0]


def use_admin_body(name: str) -> None:
    """Name the body as the settings say (empty: the default)."""
    _current[0] = name.strip() or DEFAULT_ADMIN_BODY
