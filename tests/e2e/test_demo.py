"""`thidua demo`: the offline round plays to the end, checks itself and writes a transcript."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot import demo
from bot.cli import main
from bot.demo import acts, run, script


def test_the_demo_plays_a_whole_round_and_writes_the_transcript(tmp_path: Path) -> None:
    output = tmp_path / "out"
    result = CliRunner().invoke(main, ["demo", "--output", str(output)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "5/5 đơn vị đã nộp" in result.output
    assert "\x1b[" not in result.output  # not a terminal: no colours
    transcript = (output / "transcript.md").read_text(encoding="utf-8")
    for officer in demo.OFFICERS:
        assert officer.name in transcript
    # Five first submissions and one revision.
    assert transcript.count("Đã nộp số liệu") == 6
    assert "Lần nộp: 2" in transcript
    # The scheduler's part: opening, reminders to those who owe, the late one, the summary.
    assert "đã mở" in transcript and "Còn 3/5 đơn vị chưa nộp" in transcript
    assert "(sửa tại chỗ)" in transcript
    assert "Nộp muộn" in transcript
    # The acts: the conference and the year's end.
    assert "GIẤY MỜI" in transcript and "Đã đăng ký đại biểu" in transcript
    assert "Có mặt 2/5 đơn vị" in transcript
    assert "Đã đăng ký chỉ tiêu" in transcript and transcript.count("Đã ký giao ước") == 2
    assert "• Cụm trưởng: Xã Sa Thầy" in transcript
    assert "❌" not in result.output.split("Kết quả")[-1]
    from openpyxl import load_workbook

    workbook = load_workbook(output / "tong-hop.xlsx")
    assert len(workbook.sheetnames) == 3
    assert (output / "bieu-do.png").read_bytes().startswith(b"\x89PNG")


def test_a_step_that_does_not_happen_fails_the_demo_with_status_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Within the target: the bot rightly asks no confirmation, so the script's expectation fails.
    monkeypatch.setattr(script, "UNUSUAL_TYPED", "45")
    result = CliRunner().invoke(main, ["demo", "--output", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert "❌ Đinh Văn Tâm: sau «45»" in result.output
    assert (tmp_path / "transcript.md").is_file()


def test_a_step_of_the_year_end_that_does_not_happen_fails_the_demo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Below this year's result of 580: the bot rightly asks for a reason, not the next question.
    monkeypatch.setitem(acts.TARGETS, "kon-tum", ("500", *acts.TARGETS["kon-tum"][1:]))
    result = CliRunner().invoke(main, ["demo", "--output", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert "❌ Nguyễn Thị Hoa: sau «500»" in result.output
    assert "GIẤY MỜI" in (tmp_path / "transcript.md").read_text(encoding="utf-8")


def test_without_the_example_file_the_demo_stops_with_status_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run, "EXAMPLE", tmp_path / "missing.yaml")
    result = CliRunner().invoke(main, ["demo", "--output", str(tmp_path)])
    assert result.exit_code == 2
    assert "Không tìm thấy tệp ví dụ" in result.stderr


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colours_only_on_a_terminal_and_without_no_color() -> None:
    assert demo.wants_color(_Terminal(), {})
    assert demo.wants_color(_Terminal(), {"NO_COLOR": ""})
    assert not demo.wants_color(_Terminal(), {"NO_COLOR": "1"})
    assert not demo.wants_color(io.StringIO(), {})
