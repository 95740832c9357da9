"""The one place that keeps secrets out of everything the process writes, and the logging set-up.

`protect_output()`, at the start of every command, puts a redacting layer on `sys.stdout` and
`sys.stderr`. Everything the process prints goes through them: log lines with their attached
tracebacks (the handler `configure_logging` makes writes to `sys.stderr`), Python's own printing
of an uncaught exception (`sys.excepthook`, `threading.excepthook`, unraisable exceptions),
warnings (`warnings.showwarning`), and click's messages. `redact_secret` names a secret as soon
as it is known: the bot token from the settings, the webhook secret when it is made.
"""

from __future__ import annotations

import logging
import sys
import threading
from typing import Any, TextIO, cast

from bot.settings import Settings

__all__ = [
    "TOKEN_PLACEHOLDER",
    "WEBHOOK_SECRET_PLACEHOLDER",
    "configure_logging",
    "protect_output",
    "redact_secret",
    "redact_secrets_of",
    "redact_token",
    "redacted",
]

TOKEN_PLACEHOLDER = "<token>"
WEBHOOK_SECRET_PLACEHOLDER = "<webhook secret>"
# A token's part after the colon is its secret; a shorter one would garble ordinary text.
_MIN_SECRET_PART = 8


class _Secrets:
    """The secrets to replace, longest first, swapped whole so that writers never see a half."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.pairs: tuple[tuple[str, str], ...] = ()

    def add(self, secret: str, placeholder: str) -> None:
        """Replace `secret` with `placeholder` from now on."""
        with self._lock:
            known = dict(self.pairs)
            known[secret] = placeholder
            self.pairs = tuple(sorted(known.items(), key=lambda pair: -len(pair[0])))


_SECRETS = _Secrets()


def redact_secret(secret: str | None, placeholder: str) -> None:
    """Never write `secret` again: `placeholder` stands in its place."""
    if secret:
        _SECRETS.add(secret, placeholder)


def redact_token(token: str | None) -> None:
    """Never write the bot token, nor its secret part alone (a URL may encode the colon)."""
    if not token:
        return
    redact_secret(token, TOKEN_PLACEHOLDER)
    _bot_id, colon, secret_part = token.partition(":")
    if colon and len(secret_part) >= _MIN_SECRET_PART:
        redact_secret(secret_part, TOKEN_PLACEHOLDER)


def redact_secrets_of(settings: Settings) -> None:
    """Never write the secrets the settings hold: the bot token and the webhook secret."""
    token, webhook = settings.telegram_bot_token, settings.webhook_secret
    redact_token(token.get_secret_value() if token else None)
    redact_secret(webhook.get_secret_value() if webhook else None, WEBHOOK_SECRET_PLACEHOLDER)


def redacted(text: str) -> str:
    """`text` with every known secret replaced."""
    for secret, placeholder in _SECRETS.pairs:
        if secret in text:
            text = text.replace(secret, placeholder)
    return text


class _RedactingStream:
    """A text stream that writes through another with every known secret replaced."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(redacted(text))
        return len(text)  # what the caller gave: it must not see the replacement's length

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        # flush, fileno, isatty, encoding, buffer...: whatever the stream underneath has.
        return getattr(self._stream, name)


def protect_output() -> None:
    """Redact secrets in all the process writes to stdout and stderr from now on (once)."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        # None without a console (pythonw); already layered when a command runs in-process twice.
        if stream is not None and not isinstance(stream, _RedactingStream):
            setattr(sys, name, cast(TextIO, _RedactingStream(stream)))


def configure_logging(level: int = logging.INFO) -> None:
    """Log to stderr (behind `protect_output`'s layer); quieten chatty HTTP loggers."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # httpx logs every request URL at INFO, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
