"""A step's reply as text for the database, and back: what a killed process had still to send.

The turn runner keeps it with the update's claim, in the step's transaction; when the update
comes again (replayed at start-up, or posted again by Telegram), the reply goes out then.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.domain.replies import Button, Reply
from bot.edge.send import Attachment, Item, Prompt

__all__ = ["Kept", "keep", "unkeep"]


@dataclass(frozen=True)
class Kept:
    """A reply to send again: its items, their language, and whether the press loses buttons."""

    items: list[Item]
    locale: str
    clear_buttons: bool


def keep(items: Sequence[Item], *, locale: str, clear_buttons: bool) -> str:
    """The reply as JSON."""
    return json.dumps(
        {"locale": locale, "clear": clear_buttons, "items": [_item(i) for i in items]},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def unkeep(text: str) -> Kept:
    """The reply `keep` wrote."""
    kept = json.loads(text)
    items = [_from_item(item) for item in kept["items"]]
    return Kept(items, str(kept["locale"]), bool(kept["clear"]))


def _item(item: Item) -> dict[str, Any]:
    if isinstance(item, Attachment):
        content = base64.b64encode(item.content).decode("ascii")
        return {"file": [item.file_name, content, item.caption, item.photo]}
    if isinstance(item, Prompt):
        return {"prompt": [item.text, item.placeholder]}
    rows = [[[b.text, b.data, b.url] for b in row] for row in item.buttons]
    return {"reply": [item.text, rows, item.main_keyboard, item.notice]}


def _from_item(item: dict[str, Any]) -> Item:
    if "file" in item:
        name, content, caption, photo = item["file"]
        return Attachment(name, base64.b64decode(content), caption, photo)
    if "prompt" in item:
        return Prompt(*item["prompt"])
    text, rows, main_keyboard, notice = item["reply"]
    buttons = tuple(tuple(Button(*button) for button in row) for row in rows)
    return Reply(text, buttons, main_keyboard, notice)
