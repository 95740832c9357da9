"""What each chat's command menu shows in Telegram now, so that only a changed one is sent."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, Session, SQLModel, col, delete, select

from bot.storage.types import UTCDateTime, utcnow

__all__ = ["MenuShown", "forget_shown", "remember_shown", "shown_menus"]


class MenuShown(SQLModel, table=True):
    """A menu scope (`private`, `group` or a chat id) and the digest of the menu it was given."""

    __tablename__ = "menu_shown"

    scope: str = Field(max_length=40, primary_key=True)
    digest: str = Field(max_length=64)
    shown_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


def shown_menus(session: Session) -> dict[str, str]:
    """Scope -> the digest of the menu Telegram was last given for it."""
    return {row.scope: row.digest for row in session.exec(select(MenuShown))}


def remember_shown(session: Session, menus: dict[str, str]) -> None:
    """Note the menus just given (scope -> digest), replacing what was noted before."""
    if not menus:
        return
    forget_shown(session, list(menus))
    session.add_all(MenuShown(scope=scope, digest=digest) for scope, digest in menus.items())


def forget_shown(session: Session, scopes: list[str]) -> None:
    """Forget the menus of `scopes` (given back Telegram's default, or about to be replaced)."""
    if scopes:
        session.exec(delete(MenuShown).where(col(MenuShown.scope).in_(scopes)))
