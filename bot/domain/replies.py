"""What the bot says back, as plain data: handlers turn it into Telegram messages."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MESSAGE_LIMIT", "Button", "Reply", "split_text"]

# Telegram refuses messages over 4096 characters; keep a margin for entities.
MESSAGE_LIMIT = 4000


@dataclass(frozen=True)
class Button:
    """An inline button: a callback (`data`) or a link (`url`)."""

    text: str
    data: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Reply:
    """One message to send; `main_keyboard` attaches the persistent «Nộp số liệu» keyboard."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    main_keyboard: bool = False
    notice: str | None = None  # a short toast for the button press that caused this reply


def split_text(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Cut a long text at line breaks into pieces Telegram accepts."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        # A single overlong line is cut hard; everything else breaks between lines.
        for chunk in [line[i : i + limit] for i in range(0, len(line), limit)] or [""]:
            candidate = f"{current}\n{chunk}" if current else chunk
            if len(candidate) > limit:
                pieces.append(current)
                candidate = chunk
            current = candidate
    pieces.append(current)
    return pieces
