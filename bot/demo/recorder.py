"""Printing the demo as it plays, and keeping it as a Markdown transcript."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

import click

from bot.domain.formatting import format_moment

__all__ = ["Recorder", "wants_color"]

JSONDict = dict[str, Any]

_RESET, _BOLD, _DIM = "\033[0m", "\033[1m", "\033[2m"
_CYAN, _GREEN, _YELLOW, _RED, _MAGENTA = "\033[36m", "\033[32m", "\033[33m", "\033[31m", "\033[35m"


def wants_color(stream: TextIO, environ: Mapping[str, str]) -> bool:
    """ANSI colours only on a terminal, and never when NO_COLOR is set (no-color.org)."""
    # no-color.org: an empty NO_COLOR counts as unset.
    return not environ.get("NO_COLOR") and stream.isatty()


def _button_labels(message: JSONDict) -> list[str]:
    """The labels of a message's inline buttons, row by row."""
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [str(button.get("text", "")) for row in rows for button in row]


def _md_escape(text: str) -> str:
    """Plain text safe inside a Markdown paragraph."""
    for char in "\\`*_[]<>#|":
        text = text.replace(char, "\\" + char)
    return text


@dataclass
class Recorder:
    """Prints the conversation as it happens and keeps it as Markdown."""

    color: bool
    markdown: list[str] = field(default_factory=list)
    hushed: bool = False  # steps played and checked, but not shown

    @contextmanager
    def quietly(self) -> Iterator[None]:
        """Play some steps without showing their messages (the note says what they were)."""
        self.hushed = True
        try:
            yield
        finally:
            self.hushed = False

    def _paint(self, text: str, *codes: str) -> str:
        return f"{''.join(codes)}{text}{_RESET}" if self.color and codes else text

    def heading(self, text: str) -> None:
        """A stage of the demo."""
        click.echo("\n" + self._paint(f"── {text} ──", _BOLD, _YELLOW))
        self.markdown += [f"## {_md_escape(text)}", ""]

    def note(self, text: str) -> None:
        """A remark of the demo itself, not part of any chat."""
        click.echo(self._paint(f"   {text}", _DIM))
        self.markdown += [f"_{_md_escape(text)}_", ""]

    def clock(self, moment: datetime) -> None:
        """The compressed clock jumps to `moment`."""
        shown = format_moment(moment, "Asia/Ho_Chi_Minh", "vi")
        click.echo(self._paint(f"🕘 {shown}", _BOLD, _MAGENTA))
        self.markdown += [f"🕘 **{shown}**", ""]

    def user(self, name: str, text: str) -> None:
        """What an officer typed, pressed or sent."""
        if self.hushed:
            return
        click.echo(f"{self._paint('👤 ' + name + ':', _BOLD, _CYAN)} {text}")
        self.markdown += [f"**👤 {name}:** {_md_escape(text)}", ""]

    def bot(self, name: str, message: JSONDict) -> None:
        """A message of the bot, verbatim, with its buttons in brackets."""
        if self.hushed:
            return
        lines = str(message.get("text") or message.get("caption") or "").split("\n")
        if document := message.get("document"):
            lines.append(f"📎 {document.get('file_name', '')}")
        elif message.get("photo"):
            lines.append("🖼️ (ảnh biểu đồ)")
        buttons = " ".join(f"[{label}]" for label in _button_labels(message))
        head = self._paint(f"🤖 Bot → {name}:", _BOLD, _GREEN)
        shown = [line for line in lines if line.strip()]
        click.echo(f"{head} {shown[0] if shown else ''}")
        for line in shown[1:]:
            click.echo(f"   {line}")
        if buttons:
            click.echo("   " + self._paint(buttons, _MAGENTA))
        block = [*lines, *([buttons] if buttons else [])]
        self.markdown += [f"**🤖 Bot → {name}:**", "", "```text", *block, "```", ""]

    def result(self, ok: bool, text: str) -> None:
        """One line of the final check."""
        mark = self._paint("✅" if ok else "❌", _GREEN if ok else _RED)
        click.echo(f"{mark} {text}")
        self.markdown.append(f"- {'✅' if ok else '❌'} {_md_escape(text)}")

    def write(self, folder: Path) -> Path:
        """Write the transcript to `folder`/transcript.md."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "transcript.md"
        intro = [
            "# thidua demo – bản ghi hội thoại",
            "",
            "Bot thật (python-telegram-bot, long polling) và bộ lập lịch của nó nói chuyện qua "
            "HTTP với một Telegram giả trên 127.0.0.1; cơ sở dữ liệu SQLite tạm; cụm ví dụ "
            "`examples/cluster.yaml`. Đồng hồ được nén: từ lúc kỳ báo cáo mở đến sau hạn nộp, rồi "
            "hội nghị sơ kết và cuối năm (đăng ký chỉ tiêu, ký giao ước năm sau).",
            "",
        ]
        path.write_text("\n".join([*intro, *self.markdown, ""]), encoding="utf-8")
        return path
