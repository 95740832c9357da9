"""Settings come from the environment with sensible defaults, and never show the token."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.settings import Settings


def _settings(monkeypatch: pytest.MonkeyPatch, **env: str) -> Settings:
    for name in (
        "TELEGRAM_BOT_TOKEN",
        "TELEGRAM_API_BASE_URL",
        "DATABASE_URL",
        "THIDUA_ADMINS",
        "THIDUA_TIMEZONE",
        "THIDUA_LOCALE",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return Settings(_env_file=None)


def test_defaults_suit_a_vietnamese_deployment_on_sqlite(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _settings(monkeypatch)
    assert settings.telegram_api_base_url == "https://api.telegram.org/bot"
    assert settings.database_url.startswith("sqlite:///data/")
    assert (settings.timezone, settings.locale, settings.admins) == (
        "Asia/Ho_Chi_Minh",
        "vi",
        frozenset(),
    )
    assert settings.telegram_bot_token is None


@pytest.mark.parametrize("raw", ["111,222", "111 222", "[111, 222]", " 111 ; 222 "])
def test_admin_ids_may_be_written_in_several_forms(
    monkeypatch: pytest.MonkeyPatch, raw: str
) -> None:
    assert _settings(monkeypatch, THIDUA_ADMINS=raw).admins == frozenset({111, 222})


def test_the_token_is_never_shown_in_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _settings(monkeypatch, TELEGRAM_BOT_TOKEN="123:SECRET")
    assert "SECRET" not in repr(settings) and "SECRET" not in str(settings.model_dump())
    assert settings.telegram_bot_token is not None
    assert settings.telegram_bot_token.get_secret_value() == "123:SECRET"


def test_files_come_from_the_same_server_as_the_api(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _settings(monkeypatch, TELEGRAM_API_BASE_URL="http://127.0.0.1:8081/bot/")
    assert settings.telegram_api_base_url == "http://127.0.0.1:8081/bot"
    assert settings.file_base_url == "http://127.0.0.1:8081/file/bot"


@pytest.mark.parametrize(
    "env", [{"THIDUA_TIMEZONE": "Mars/Olympus"}, {"THIDUA_LOCALE": "fr"}, {"THIDUA_ADMINS": "abc"}]
)
def test_a_bad_setting_is_refused(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        _settings(monkeypatch, **env)


def test_the_admin_body_is_a_setting_named_in_refusals_and_papers() -> None:
    from bot.domain.admin_body import DEFAULT_ADMIN_BODY, admin_body, use_admin_body
    from bot.domain.roles import out_of_scope

    try:
        Settings(THIDUA_ADMIN_BODY="Ban Thi đua – Khen thưởng thành phố")
        assert admin_body() == "Ban Thi đua – Khen thưởng thành phố"
        assert "(Ban Thi đua – Khen thưởng thành phố)" in out_of_scope("vi")
    finally:
        use_admin_body(DEFAULT_ADMIN_BODY)
    assert Settings().admin_body == DEFAULT_ADMIN_BODY == "Ban Thi đua – Khen thưởng"
