"""Configuration from the environment and an optional `.env` file."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.i18n import LOCALES

__all__ = ["DEFAULT_API_BASE_URL", "DEFAULT_DATABASE_URL", "Settings"]

DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_DATABASE_URL = "sqlite:///data/thidua.db"


class Settings(BaseSettings):
    """Everything the bot reads from its environment."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = Field(default=None, alias="TELEGRAM_BOT_TOKEN")
    telegram_api_base_url: str = Field(default=DEFAULT_API_BASE_URL, alias="TELEGRAM_API_BASE_URL")
    database_url: str = Field(default=DEFAULT_DATABASE_URL, alias="DATABASE_URL")
    admins: Annotated[frozenset[int], NoDecode] = Field(default=frozenset(), alias="THIDUA_ADMINS")
    timezone: str = Field(default="Asia/Ho_Chi_Minh", alias="THIDUA_TIMEZONE")
    locale: str = Field(default="vi", alias="THIDUA_LOCALE")
    # A figure more than this many times its target or last value (or less than its
    # reciprocal) is asked back for confirmation and an explanation.
    # Keep Telegram's flood limits on the bot's own sends; off only for a local Bot API
    # server or a benchmark that measures the bot itself.
    rate_limiter: bool = Field(default=True, alias="THIDUA_RATE_LIMITER")
    outlier_factor: Decimal = Field(default=Decimal(3), gt=1, alias="THIDUA_OUTLIER_FACTOR")

    @field_validator("admins", mode="before")
    @classmethod
    def _split_admin_ids(cls, raw: Any) -> Any:
        # Accept "1,2", "1 2" and "[1, 2]": admins paste ids in whichever form they have.
        if isinstance(raw, str):
            return frozenset(int(part) for part in re.split(r"[\s,;\[\]]+", raw) if part)
        if isinstance(raw, int):
            return frozenset({raw})
        return raw

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown timezone {name!r}") from error
        return name

    @field_validator("locale")
    @classmethod
    def _known_locale(cls, code: str) -> str:
        if code not in LOCALES:
            raise ValueError(f"locale must be one of {', '.join(LOCALES)}")
        return code

    @field_validator("telegram_api_base_url")
    @classmethod
    def _no_trailing_slash(cls, url: str) -> str:
        return url.rstrip("/") or DEFAULT_API_BASE_URL

    @property
    def tz(self) -> ZoneInfo:
        """The configured timezone."""
        return ZoneInfo(self.timezone)

    @property
    def file_base_url(self) -> str:
        """Where files are downloaded: `.../bot` becomes `.../file/bot`."""
        head, sep, tail = self.telegram_api_base_url.rpartition("/")
        return f"{head}/file/{tail}" if sep else f"file/{tail}"
