"""`thidua delegates`: the list of delegates of a conference written as xlsx and opened back."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result
from openpyxl import load_workbook
from sqlalchemy.engine import Engine

from bot.cli import main
from tests.support.conference import CODE, add_conference, register
from tests.support.factories import example_cluster


def _thidua(engine: Engine, *args: str) -> Result:
    env = {"DATABASE_URL": engine.url.render_as_string(hide_password=False)}
    env |= {"TELEGRAM_BOT_TOKEN": "", "THIDUA_LOCALE": "vi"}
    return CliRunner().invoke(main, ["delegates", *args], env=env, catch_exceptions=False)


def test_the_cli_writes_each_delegate_with_role_and_presence(
    engine: Engine, tmp_path: Path
) -> None:
    example_cluster(engine)
    add_conference(engine)
    register(engine, "kon-tum", ("Nguyễn Văn An", "Phó Chủ tịch UBND"), ("Lê Bình", "Chuyên viên"))
    register(engine, "dak-cam", ("@cmd|' /C calc'!A0", ""))
    out = tmp_path / "dai-bieu.xlsx"
    result = _thidua(engine, "--conference", CODE, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "3 đại biểu của 2 đơn vị" in result.output
    sheet = load_workbook(out).worksheets[0]
    assert [c.value for c in sheet[5]] == [
        "STT", "Đơn vị", "Họ và tên", "Chức vụ", "Vai trò trong đoàn", "Có mặt",
    ]  # fmt: skip
    rows = list(sheet.iter_rows(min_row=6, values_only=True))
    assert [row[1:5] for row in rows] == [
        ("Phường Kon Tum", "Nguyễn Văn An", "Phó Chủ tịch UBND", "Trưởng đoàn"),
        ("Phường Kon Tum", "Lê Bình", "Chuyên viên", "Thành viên"),
        ("Phường Đăk Cấm", "@cmd|' /C calc'!A0", None, "Trưởng đoàn"),
    ]
    assert sheet.cell(8, 3).data_type == "s"  # typed text stays text, never a formula


def test_an_unknown_conference_is_refused_with_a_sentence(engine: Engine, tmp_path: Path) -> None:
    out = tmp_path / "x.xlsx"
    result = _thidua(engine, "--conference", "khong-co", "--out", str(out))
    assert result.exit_code == 2 and "Không có hội nghị mã «khong-co»" in result.output
    assert not out.exists()
