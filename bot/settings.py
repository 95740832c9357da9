"""Configuration from the environment and an optional `.env` file."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.domain.admin_body import DEFAULT_ADMIN_BODY, use_admin_body
from bot.domain.i18n import LOCALES, N_
from bot.edge.transport import HttpClient

__all__ = ["DEFAULT_API_BASE_URL", "DEFAULT_DATABASE_URL", "WEBHOOK_SECRET_PATTERN", "Settings"]

DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_DATABASE_URL = "sqlite:///data/thidua.db"
WEBHOOK_SECRET_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,256}")
_CLOCK = r"([01]?\d|2[0-3]):[0-5]\d"
_QUIET_HOURS = re.compile(rf"^{_CLOCK}-{_CLOCK}$")


class Settings(BaseSettings):
    """Everything the bot reads from its environment."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = Field(default=None, alias="TELEGRAM_BOT_TOKEN")
    telegram_api_base_url: str = Field(default=DEFAULT_API_BASE_URL, alias="TELEGRAM_API_BASE_URL")
    database_url: str = Field(default=DEFAULT_DATABASE_URL, alias="DATABASE_URL")
    admins: Annotated[frozenset[int], NoDecode] = Field(default=frozenset(), alias="THIDUA_ADMINS")
    timezone: str = Field(default="Asia/Ho_Chi_Minh", alias="THIDUA_TIMEZONE")
    # The language of the command line and of people who have not chosen one with /lang.
    locale: str = Field(default="vi", alias="THIDUA_LOCALE")
    # Take a new person's Telegram app language as their first choice (off: THIDUA_LOCALE).
    locale_from_telegram: bool = Field(default=False, alias="THIDUA_LOCALE_FROM_TELEGRAM")
    # The body that runs the clusters, named in notices and documents.
    admin_body: str = Field(default=DEFAULT_ADMIN_BODY, alias="THIDUA_ADMIN_BODY")
    # A figure more than this many times its target or last value (or less than its
    # reciprocal) is asked back for confirmation and an explanation.
    # Keep Telegram's flood limits on the bot's own sends; off only for a local Bot API
    # server or a benchmark that measures the bot itself.
    rate_limiter: bool = Field(default=True, alias="THIDUA_RATE_LIMITER")
    # Messages per second this process's replies allow themselves (with the rate limiter on):
    # the replies of every bot process plus the outbox sender's THIDUA_SEND_RATE share
    # Telegram's 30 a second (README, Deployment).
    reply_rate: float = Field(default=30.0, ge=1, le=30, alias="THIDUA_REPLY_RATE")
    # The HTTP library under python-telegram-bot (bot/edge/transport.py): aiohttp costs a fifth
    # of the CPU per Bot API call; httpx is PTB's own, kept for setups that need its proxies.
    http_client: HttpClient = Field(default="aiohttp", alias="THIDUA_HTTP_CLIENT")
    outlier_factor: Decimal = Field(default=Decimal(3), gt=1, alias="THIDUA_OUTLIER_FACTOR")
    # Webhook mode (`thidua run --webhook`). The server speaks plain HTTP, so by default it
    # listens on loopback only, behind the reverse proxy that terminates Telegram's HTTPS.
    webhook_listen: str = Field(default="127.0.0.1", alias="THIDUA_WEBHOOK_LISTEN")
    webhook_port: int = Field(default=8080, ge=1, le=65535, alias="THIDUA_WEBHOOK_PORT")
    webhook_url: str | None = Field(default=None, alias="THIDUA_WEBHOOK_URL")
    # None: a fresh random secret at each start (enough for one process; set it for several).
    webhook_secret: SecretStr | None = Field(default=None, alias="THIDUA_WEBHOOK_SECRET")
    # No private reminder in these hours (a period's `quiet_hours` wins); empty switches off.
    quiet_hours: str = Field(default="21:00-07:00", alias="THIDUA_QUIET_HOURS")
    # `thidua run` also runs the scheduler; off where `thidua scheduler` runs on its own.
    embedded_scheduler: bool = Field(default=True, alias="THIDUA_EMBEDDED_SCHEDULER")
    # How often the scheduler asks "what is due now?"; the timetable itself is in the database.
    scheduler_tick: float = Field(default=30.0, gt=0, alias="THIDUA_SCHEDULER_TICK")
    # How long a sender may hold a message before another sender takes it again.
    outbox_lease: float = Field(default=60.0, gt=0, alias="THIDUA_OUTBOX_LEASE")
    # Messages per second the outbox sender allows itself (Telegram's limit is about 30).
    send_rate: float = Field(default=30.0, gt=0, le=30, alias="THIDUA_SEND_RATE")
    # How often a standby scheduler asks for the sender's lock (and the leader checks it).
    leader_poll: float = Field(default=2.0, gt=0, alias="THIDUA_LEADER_POLL")

    @field_validator("admins", mode="before")
    @classmethod
    def _split_admin_ids(cls, raw: Any) -> Any:
        # Accept "1,2", "1 2" and "[1, 2]": admins paste ids in whichever form they have.
        if isinstance(raw, str):
            return frozenset(int(part) for part in re.split(r"[\s,;\[\]]+", raw) if part)
        if isinstance(raw, int):
            return frozenset({raw})
        return raw

    @field_validator("quiet_hours")
    @classmethod
    def _quiet_hours_range(cls, text: str) -> str:
        if text.strip() and not _QUIET_HOURS.match(text.replace(" ", "")):
            raise ValueError(N_("cần dạng 21:00-07:00 (để trống để tắt)"))
        return text.strip()

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(N_("không có múi giờ này (ví dụ Asia/Ho_Chi_Minh)")) from error
        return name

    @field_validator("locale")
    @classmethod
    def _known_locale(cls, code: str) -> str:
        if code not in LOCALES:
            raise ValueError(N_("chỉ nhận vi hoặc en"))
        return code

    @field_validator("telegram_api_base_url")
    @classmethod
    def _no_trailing_slash(cls, url: str) -> str:
        return url.rstrip("/") or DEFAULT_API_BASE_URL

    @field_validator("webhook_url")
    @classmethod
    def _absolute_url(cls, url: str | None) -> str | None:
        if not url:
            return None
        parts = urlsplit(url)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise ValueError(N_("cần một địa chỉ đầy đủ, ví dụ https://bot.example.org/telegram"))
        return url

    @field_validator("webhook_secret")
    @classmethod
    def _telegram_secret(cls, secret: SecretStr | None) -> SecretStr | None:
        # Telegram's rule for setWebhook's secret_token; the message never repeats the value.
        if secret is None or not secret.get_secret_value():
            return None
        if not WEBHOOK_SECRET_PATTERN.fullmatch(secret.get_secret_value()):
            raise ValueError(N_("cần 1–256 ký tự trong A-Z a-z 0-9 _ -"))
        return secret

    def model_post_init(self, context: Any, /) -> None:
        # Every message and paper names the admin body as these settings do.
        use_admin_body(self.admin_body)

    @property
    def tz(self) -> ZoneInfo:
        """The configured timezone."""
        return ZoneInfo(self.timezone)

    @property
    def file_base_url(self) -> str:
        """Where files are downloaded: `.../bot` becomes `.../file/bot`."""
        head, sep, tail = self.telegram_api_base_url.rpartition("/")
        return f"{head}/file/{tail}" if sep else f"file/{tail}"
