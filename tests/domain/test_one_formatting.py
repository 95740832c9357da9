"""Every figure shown goes through the one formatting module (bot/domain/showing.py): no
`f"{x} %"` anywhere else, so that a percentage is written one way (`104,5%`, Babel's pattern)."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).parents[2]
FORMATTING = {ROOT / "bot/domain/showing.py", ROOT / "bot/domain/formatting.py"}
# A placeholder or a formatted value followed by a percent sign: `{x} %`, `{x}%`, `{v:.0f} %`.
PERCENT_AFTER_VALUE = re.compile(r"\{[^{}]*\}\s*%")
# Percent signs that are no figure: SQL LIKE wildcards.
NOT_FIGURES = {("bot/storage/outbox.py", 'f"{escaped}%"')}


def _strings(path: Path) -> list[tuple[int, str]]:
    source = path.read_text(encoding="utf-8")
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    kinds = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}
    return [(token.start[0], token.string) for token in tokens if token.type in kinds]


def test_no_percent_sign_is_written_outside_the_formatting_module() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}: {text}"
        for folder in ("bot", "scheduler")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path not in FORMATTING and "migrations" not in path.parts
        for line, text in _strings(path)
        if PERCENT_AFTER_VALUE.search(text)
        and (str(path.relative_to(ROOT)), text) not in NOT_FIGURES
    ]
    assert found == [], "format figures with bot/domain/showing.py:\n" + "\n".join(found)


def test_no_message_of_the_catalogue_writes_a_percent_sign_after_a_value() -> None:
    with (ROOT / "bot/locale/en/LC_MESSAGES/messages.po").open("rb") as po_file:
        texts = [str(text) for m in read_po(po_file) if m.id for text in (m.id, m.string)]
    assert [text for text in texts if PERCENT_AFTER_VALUE.search(text)] == []


def test_the_check_finds_what_it_looks_for() -> None:
    assert PERCENT_AFTER_VALUE.search('f"{value:.0f} %"')
    assert PERCENT_AFTER_VALUE.search('_("{number} %")')
    assert not PERCENT_AFTER_VALUE.search('_("({percent} chỉ tiêu)")')
