"""The demo's transcript reads as Vietnamese officials write: no English word outside codes,
file names and the bot's command names, and no JSON (issue 17's check).

It reads `transcript.md` as `thidua demo` writes it, whatever the demo's acts are: the English
words looked for are those of the English catalogue that no Vietnamese message uses (`in`,
`do`, `to` are Vietnamese syllables too), and those the code writes in its machine forms."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po
from click.testing import CliRunner

from bot.cli import main

CATALOGUE = Path(__file__).parents[2] / "bot/locale/en/LC_MESSAGES/messages.po"
# English the code writes in machine forms: set-up codes, audit keys, states, JSON literals.
MACHINE_WORDS = {
    "focal", "chair", "state", "locked", "scheduled", "invite", "expires", "created",
    "updated", "retired", "removed", "higher", "lower", "number", "percent", "ratio", "yesno",
    "choice", "text", "file", "true", "false", "null", "none", "unit", "period", "cluster",
    "indicator", "target", "pledge", "revision", "late", "submitted", "returned", "missing",
    "question", "hello", "deadline", "left", "days", "hours", "minutes", "units", "vote",
}  # fmt: skip
_WORD = re.compile(r"[A-Za-z]+")
_PROSE_WORD = re.compile(r"(?<![\wÀ-ỹ])[A-Za-z]+(?![\wÀ-ỹ])")
# Not prose: code spans, links, commands (`/submit`, `/bind@bot`), file names, and codes,
# which have a hyphen, an underscore or a dot inside (`kt-cum2`, `2026-h1`, `sa-thay`).
_NOT_PROSE = (
    re.compile(r"`[^`]*`"),
    re.compile(r"https?://\S+"),
    re.compile(r"(?<![\w])/[a-z_]+(?:@\w+)?"),
    re.compile(r"\S+\.(?:xlsx|docx|pdf|png|csv|txt|md|yaml)\b"),
    re.compile(r"[\w.]*\w[-_.]\w[\w.-]*"),
)
_JSON = re.compile(r'[{\[]\s*"[^"\n]*"\s*:|"\s*:\s*[{\["\d]')


def _words(text: str) -> set[str]:
    return {word.casefold() for word in _WORD.findall(re.sub(r"\{[^}]*\}", " ", text))}


@cache
def english_words() -> frozenset[str]:
    """The English of the catalogue that no Vietnamese message uses, and the code's own."""
    with CATALOGUE.open("rb") as po_file:
        messages = [m for m in read_po(po_file) if m.id]
    vietnamese, english = set(), set()
    for message in messages:
        ids = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
        strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        vietnamese |= {word for text in ids for word in _words(str(text))}
        english |= {word for text in strings for word in _words(str(text))}
    return frozenset((english - vietnamese) | MACHINE_WORDS)


def english_in(text: str) -> dict[str, str]:
    """Each English word of `text`'s prose, with the first line it is on."""
    for pattern in _NOT_PROSE:
        text = pattern.sub(" ", text)
    found: dict[str, str] = {}
    known = english_words()
    for line in text.splitlines():
        for word in _PROSE_WORD.findall(line):
            if word.casefold() in known:
                found.setdefault(word, line.strip())
    return found


def test_the_scan_finds_english_and_json_and_spares_codes_and_vietnamese() -> None:
    assert set(english_in("Hạn nộp: 17:00 (còn 7 days)")) == {"days"}
    assert set(english_in("role: focal; invite_id: 6")) == {"role", "focal"}
    assert english_in("Gõ /submit hoặc /bind@thidua_bot kt-cum2; tệp tong-hop.xlsx") == {}
    assert english_in("in báo cáo, do đơn vị gửi, Phường Đăk Cấm, Bot → Lê Thị Lan") == {}
    assert _JSON.search('~ unit sa-thay {"name": "Xã Sa Thầy → Xã Sa Bình"}')
    assert not _JSON.search("Sửa tên đơn vị sa-thay: “Xã Sa Thầy” → “Xã Sa Bình”")


def test_the_demo_speaks_vietnamese_only(tmp_path: Path) -> None:
    output = tmp_path / "out"
    result = CliRunner().invoke(main, ["demo", "--output", str(output)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    transcript = (output / "transcript.md").read_text(encoding="utf-8")
    found = english_in(transcript)
    assert found == {}, "English in the demo:\n" + "\n".join(
        f"{w}: {at}" for w, at in found.items()
    )
    json = [line for line in transcript.splitlines() if _JSON.search(line)]
    assert json == [], "JSON in the demo:\n" + "\n".join(json)
