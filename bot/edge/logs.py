"""Logging set-up that never lets the bot token reach a log line."""

from __future__ import annotations

import logging

__all__ = ["configure_logging"]


class _RedactToken(logging.Filter):
    """Replaces the token wherever it appears (request URLs carry it: /bot<TOKEN>/getMe)."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.secret in message:
            record.msg = message.replace(self.secret, "<token>")
            record.args = None
        return True


def configure_logging(token: str | None, level: int = logging.INFO) -> None:
    """Log to stderr; quieten chatty HTTP loggers and redact the token everywhere."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # httpx logs every request URL at INFO, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    if token:
        redact = _RedactToken(token)
        for handler in logging.getLogger().handlers:
            handler.addFilter(redact)
