"""Every Vietnamese message in the code has an English translation with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).parents[2]
PLACEHOLDER = re.compile(r"\{\w*\}")


def _messages_in_code() -> set[str]:
    found = set()
    for folder in ("bot", "scheduler"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python")]
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_message_has_an_english_translation_with_the_same_placeholders() -> None:
    with (ROOT / "bot/locale/en/LC_MESSAGES/messages.po").open("rb") as po_file:
        catalogue = {m.id: m.string for m in read_po(po_file) if m.id}
    missing = sorted(m for m in _messages_in_code() if not catalogue.get(m))
    assert missing == [], f"run `make messages` and translate: {missing[:5]}"
    mismatched = [
        m
        for m, english in catalogue.items()
        if isinstance(m, str)
        and sorted(PLACEHOLDER.findall(m)) != sorted(PLACEHOLDER.findall(str(english)))
    ]
    assert mismatched == []
