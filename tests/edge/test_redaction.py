"""Secrets never reach stdout or stderr: log lines, their tracebacks, Python's own printing."""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from telegram.error import InvalidToken, NetworkError

from bot.edge.logs import protect_output, redact_secrets_of, redact_token
from bot.settings import Settings

TOKEN = "1234567:AAF-unit-redaction-secret-part-987654321"
SECRET_PART = TOKEN.split(":", 1)[1]


def _protected_stderr(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """What the process writes to stderr from now on, behind the layer, with the token known.

    Set up in the test itself: pytest puts its own capture back on sys.stderr after fixtures.
    """
    written = io.StringIO()
    monkeypatch.setattr(sys, "stderr", written)
    monkeypatch.setattr(sys, "stdout", sys.stdout)  # undone at the end, like stderr
    protect_output()
    redact_token(TOKEN)
    return written


@contextmanager
def _logger() -> Iterator[logging.Logger]:
    """A logger with the handler `configure_logging` makes: a stream handler on sys.stderr."""
    logger = logging.getLogger("tests.edge.redaction")
    handler = logging.StreamHandler()
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield logger
    finally:
        logger.removeHandler(handler)
        logger.propagate = True


def _rejected() -> InvalidToken:
    """PTB's error for a token the server refuses, raised and caught: it has a traceback."""
    try:
        raise InvalidToken(f"The token `{TOKEN}` was rejected by the server.")
    except InvalidToken as error:
        return error


def _proxy_page() -> NetworkError:
    """PTB's error for a proxy's 502 page that echoes the path, caused by the parsing error."""
    page = f"b'<p>POST /bot{TOKEN}/sendMessage</p>'"
    try:
        try:
            raise ValueError("Expecting value: line 1 column 1 (char 0)")
        except ValueError as parsing:
            raise NetworkError(f"Bad Gateway (502). Parsing the response {page}") from parsing
    except NetworkError as error:
        return error


def _without_the_token(stderr: io.StringIO) -> str:
    """What was written, once checked for the token's secret part."""
    written = stderr.getvalue()
    assert SECRET_PART not in written
    return written


def test_the_traceback_of_a_logged_exception_names_no_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stderr = _protected_stderr(monkeypatch)
    with _logger() as log:
        try:
            raise _rejected()
        except InvalidToken:
            log.exception("start failed for %s", TOKEN)
    written = _without_the_token(stderr)
    assert "start failed for <token>" in written
    assert "Traceback (most recent call last)" in written
    assert "InvalidToken: The token `<token>` was rejected by the server." in written


def test_exc_info_of_a_proxy_page_that_echoes_the_path_names_no_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stderr = _protected_stderr(monkeypatch)
    with _logger() as log:
        log.error("update failed", exc_info=_proxy_page())
    written = _without_the_token(stderr)
    assert "The above exception was the direct cause" in written
    assert "POST /bot<token>/sendMessage" in written


def test_python_s_own_printing_of_an_uncaught_exception_names_no_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stderr = _protected_stderr(monkeypatch)
    error = _rejected()
    sys.excepthook(type(error), error, error.__traceback__)
    assert "InvalidToken: The token `<token>` was rejected" in _without_the_token(stderr)


def test_the_secret_part_alone_is_redacted_when_a_url_encodes_the_colon(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stderr = _protected_stderr(monkeypatch)
    print(f"GET /bot1234567%3A{SECRET_PART}/getMe", file=sys.stderr)
    assert stderr.getvalue() == "GET /bot1234567%3A<token>/getMe\n"


def test_a_short_secret_part_alone_leaves_ordinary_words_as_they_are(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stderr = _protected_stderr(monkeypatch)
    redact_token("42:Bot")
    print("Bot 42:Bot", file=sys.stderr)
    assert stderr.getvalue() == "Bot <token>\n"


def test_the_settings_secrets_are_redacted_on_stdout_too(monkeypatch: pytest.MonkeyPatch) -> None:
    stdout = io.StringIO()
    monkeypatch.setattr(sys, "stdout", stdout)
    protect_output()
    token, webhook_secret = "7777777:AAE-settings-token-secret-part-2718", "webhook-secret-31415"
    settings = Settings(
        _env_file=None, TELEGRAM_BOT_TOKEN=token, THIDUA_WEBHOOK_SECRET=webhook_secret
    )
    redact_secrets_of(settings)
    print(f"token {token}, secret {webhook_secret}")
    assert stdout.getvalue() == "token <token>, secret <webhook secret>\n"
