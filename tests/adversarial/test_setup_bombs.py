"""Set-up files built to crash or exhaust the import: refused with a clear line, nothing written."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.cli import main
from bot.setup import SetupError, read_setup
from bot.setup.limits import SETUP_LIMITS, SetupLimits
from bot.setup.loading import load_tree
from bot.setup.template import setup_workbook, workbook_to_yaml
from bot.storage.models import PendingImport, Unit
from tests.support.desk import ADMIN, desk_bot, last

YAML = "application/x-yaml"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NESTED = "[" * 10_000
# Nine levels of ten aliases each: a billion values once expanded, 300 bytes as written.
LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + level)}: &{chr(98 + level)} [{', '.join([f'*{chr(97 + level)}'] * 10)}]\n"
    for level in range(8)
)


def refusal(text: str | bytes, limits: SetupLimits = SETUP_LIMITS) -> str:
    """The one problem a file is refused with, as the admin reads it."""
    with pytest.raises(SetupError) as refused:
        read_setup(text) if limits is SETUP_LIMITS else load_tree(text, "vi", limits)
    [problem] = refused.value.problems
    return str(problem)


def test_ten_thousand_nested_brackets_are_refused_without_a_recursion_error() -> None:
    assert refusal(NESTED) == "dòng 1: các mục lồng nhau quá sâu (quá 32 tầng)."


def test_nesting_within_the_limit_is_read_as_usual() -> None:
    tree = load_tree("a: " + "[" * 31 + "]" * 31, "vi")
    depth, value = 0, tree["a"]
    while value:
        depth, value = depth + 1, value[0]
    assert depth == 30


def test_a_second_timezone_is_refused_with_both_lines(example_yaml: str) -> None:
    lines = example_yaml.count("\n")
    text = example_yaml + "timezone: Asia/Bangkok\n"
    first = example_yaml.splitlines().index("timezone: Asia/Ho_Chi_Minh") + 1
    assert refusal(text) == (
        f"dòng {lines + 1}: khóa «timezone» lặp lại (đã có ở dòng {first}); "
        "mỗi khóa chỉ được viết một lần."
    )


def test_a_second_periods_list_is_refused_rather_than_hiding_the_first(example_yaml: str) -> None:
    assert "khóa «periods» lặp lại" in refusal(example_yaml + "periods: []\n")


def test_a_key_repeated_inside_a_unit_is_refused_at_its_line() -> None:
    text = "clusters:\n  - code: c\n    name: C\n    units:\n      - {code: a, name: A, code: b}\n"
    assert refusal(text).startswith("dòng 5: khóa «code» lặp lại (đã có ở dòng 5)")


def test_a_merge_key_may_still_be_overridden() -> None:
    tree = load_tree("base: &b {code: x, name: y}\nother: {<<: *b, name: z}\n", "vi")
    assert tree["other"] == {"code": "x", "name": "z"}


def test_aliases_that_expand_to_a_billion_values_are_refused() -> None:
    assert "quá 300.000 giá trị" in refusal(LAUGHS)


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed() -> None:
    text = "# " + "x" * SETUP_LIMITS.file_bytes
    assert refusal(text) == "tệp nặng 4 MB, quá giới hạn 4 MB của một tệp thiết lập."
    assert "tệp nặng 5 MB" in refusal(b"[" * (5 * 1024 * 1024))


def test_too_many_units_indicators_or_periods_are_refused_with_their_counts(
    example_yaml: str,
) -> None:
    limits = SetupLimits(units=4, indicators=10, periods=0)
    with pytest.raises(SetupError) as refused:
        load_tree(example_yaml, "vi", limits)
    assert [str(problem) for problem in refused.value.problems] == [
        "clusters: tệp có 5 đơn vị, quá giới hạn 4 của một tệp thiết lập.",
        "pledges: tệp có 11 chỉ tiêu, quá giới hạn 10 của một tệp thiết lập.",
        "periods: tệp có 1 kỳ báo cáo, quá giới hạn 0 của một tệp thiết lập.",
    ]


def test_a_million_units_are_refused_by_the_size_limit_at_once() -> None:
    units = "".join(f"      - {{code: u{number}, name: Xã {number}}}\n" for number in range(10**6))
    text = f"clusters:\n  - code: c\n    name: C\n    units:\n{units}"
    assert refusal(text) == "tệp nặng 39,8 MB, quá giới hạn 4 MB của một tệp thiết lập."


# -- the Excel template ---------------------------------------------------------------------------


def workbook(example_yaml: str) -> bytes:
    return setup_workbook(yaml.safe_load(example_yaml), locale="vi")


def with_part(content: bytes, name: str, data: bytes) -> bytes:
    """The workbook with one more part in its zip, compressed as Excel compresses."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr(name, data)
    return out.getvalue()


def excel_refusal(content: bytes, limits: SetupLimits = SETUP_LIMITS) -> str:
    with pytest.raises(SetupError) as refused:
        workbook_to_yaml(content, locale="vi", limits=limits)
    [problem] = refused.value.problems
    return str(problem)


def test_an_xlsx_that_unzips_past_the_limit_is_refused_before_parsing(example_yaml: str) -> None:
    bomb = with_part(workbook(example_yaml), "xl/media/padding.xml", b"<a/>" * (9 * 1024 * 1024))
    assert len(bomb) < 200 * 1024
    assert excel_refusal(bomb) == "tệp Excel khi giải nén nặng 36 MB, quá giới hạn 32 MB."


def test_an_xlsx_part_compressed_like_a_zip_bomb_is_refused(example_yaml: str) -> None:
    bomb = with_part(workbook(example_yaml), "xl/media/padding.xml", b" " * (4 * 1024 * 1024))
    assert excel_refusal(bomb).startswith("tệp Excel bị nén bất thường (phần xl/media/padding.xml")


def test_an_xlsx_over_the_row_cell_or_time_limits_is_refused(example_yaml: str) -> None:
    content = workbook(example_yaml)
    assert excel_refusal(content, SetupLimits(xlsx_rows=5)) == "tệp Excel có quá 5 dòng."
    assert excel_refusal(content, SetupLimits(xlsx_cells=20)) == "tệp Excel có quá 20 ô."
    assert "mất quá 0 giây" in excel_refusal(content, SetupLimits(xlsx_seconds=0))


def test_a_workbook_within_the_limits_still_reads_back(example_yaml: str) -> None:
    tree = yaml.safe_load(workbook_to_yaml(workbook(example_yaml), locale="vi"))
    assert [unit["code"] for unit in tree["clusters"][0]["units"]][:2] == ["kon-tum", "sa-thay"]


def test_an_xlsx_whose_part_lies_about_its_size_is_unreadable(example_yaml: str) -> None:
    """The sizes the zip declares bound what is read: inflating more fails, not reads on."""
    content = bytearray(workbook(example_yaml))
    entry = content.rfind(b"xl/worksheets/sheet3.xml")  # in the central directory
    content[entry - 22 : entry - 18] = (10).to_bytes(4, "little")  # its uncompressed size
    assert excel_refusal(bytes(content)) == "tệp không phải Excel (.xlsx) đọc được."


# -- the command line and the chat ---------------------------------------------------------------


def thidua_import(database_url: str, path: Path) -> Result:
    env = {"DATABASE_URL": database_url, "TELEGRAM_BOT_TOKEN": "", "THIDUA_LOCALE": "vi"}
    return CliRunner().invoke(main, ["import", str(path)], env=env, catch_exceptions=False)


def units(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(Unit)).one())


def test_thidua_import_refuses_a_bomb_in_one_line_and_writes_nothing(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    for name, text in (("nested.yaml", NESTED), ("laughs.yaml", LAUGHS)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        result = thidua_import(database_url, path)
        assert result.exit_code == 2
        assert "RecursionError" not in result.output and len(result.output.splitlines()) == 2
        assert units(engine) == 0


async def test_the_chat_refuses_a_bomb_politely_and_keeps_nothing(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        before = units(engine)
        bomb = with_part(workbook(example_yaml), "xl/media/padding.xml", b" " * (40 << 20))
        for name, content, mime in (
            ("nested.yaml", NESTED.encode(), YAML),
            ("laughs.yaml", LAUGHS.encode(), YAML),
            ("bomb.xlsx", bomb, XLSX),
        ):
            reply = last(
                await bot.send_document(
                    ADMIN, file_name=name, mime_type=mime, file_size=len(content), content=content
                )
            )
            assert name in reply["text"] and "lỗi" in reply["text"], reply["text"]
        assert units(engine) == before
        with Session(engine) as session:
            assert session.exec(select(PendingImport)).all() == []


def test_half_a_character_from_an_escape_is_refused_on_its_line_not_at_the_database() -> None:
    text = 'clusters:\n  - code: c\n    name: "Cụm \\ud800"\n    units: [{code: a, name: A}]\n'
    assert refusal(text) == "dòng 3: giá trị có ký tự lỗi (mã \\ud800–\\udfff); hãy gõ lại chữ đó."
