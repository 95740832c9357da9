"""The `thidua` command line, run as an admin would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func
from sqlmodel import Session, select

from bot.cli import main
from bot.storage import make_engine
from bot.storage.models import AuditEvent, Indicator, Person, Unit

EXAMPLE = str(Path(__file__).parents[2] / "examples" / "cluster.yaml")


@pytest.fixture
def env(database_url: str) -> dict[str, str]:
    """A clean environment for the command line, on each database."""
    return {"DATABASE_URL": database_url, "TELEGRAM_BOT_TOKEN": "", "THIDUA_LOCALE": "vi"}


def thidua(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def _count(url: str, model: type) -> int:
    engine = make_engine(url)
    with Session(engine) as session:
        count = session.exec(select(func.count()).select_from(model)).one()
    engine.dispose()
    return count


def test_help_lists_the_commands() -> None:
    output = CliRunner().invoke(main, ["--help"]).output
    for command in ("run", "import", "invite", "admin", "db"):
        assert f"  {command}" in output


def test_import_creates_the_example_and_a_second_import_changes_nothing(
    env: dict[str, str],
) -> None:
    first = thidua(env, "import", EXAMPLE)
    assert first.exit_code == 0, first.output
    assert "Thêm đơn vị sa-thay: “Xã Sa Thầy”" in first.output
    assert _count(env["DATABASE_URL"], Indicator) == 11
    second = thidua(env, "import", EXAMPLE)
    assert second.exit_code == 0
    assert second.output.strip() == "Không có gì thay đổi."


def test_dry_run_prints_the_changes_and_writes_nothing(env: dict[str, str]) -> None:
    result = thidua(env, "import", "--dry-run", EXAMPLE)
    assert result.exit_code == 0
    assert "Thêm cụm kt-cum2: “Cụm thi đua số 2 – tỉnh Quảng Ngãi”" in result.output
    assert "chưa ghi gì" in result.output
    assert _count(env["DATABASE_URL"], Unit) == 0


def test_a_bad_file_exits_2_lists_its_problems_and_writes_nothing(
    env: dict[str, str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        Path(EXAMPLE)
        .read_text(encoding="utf-8")
        .replace("kind: ratio", "kind: money")
        .replace("deadline: 2026-06-20 17:00", "deadline: 2026-05-20 17:00"),
        encoding="utf-8",
    )
    result = thidua(env, "import", str(bad))
    assert result.exit_code == 2
    lines = bad.read_text(encoding="utf-8").splitlines()
    kind = 1 + next(n for n, line in enumerate(lines) if "kind: money" in line)
    deadline = 1 + lines.index("    deadline: 2026-05-20 17:00")
    assert f"dòng {kind}, pledges[0].indicators[5].kind:" in result.output
    assert f"dòng {deadline}, periods[0].deadline:" in result.output
    assert _count(env["DATABASE_URL"], Unit) == 0
    assert _count(env["DATABASE_URL"], AuditEvent) == 0


def test_a_missing_file_is_a_clear_sentence(env: dict[str, str], tmp_path: Path) -> None:
    result = thidua(env, "import", str(tmp_path / "none.yaml"))
    assert result.exit_code == 2
    assert "Không đọc được tệp" in result.output


def test_admin_add_makes_an_admin_once_and_audits_it(env: dict[str, str]) -> None:
    assert thidua(env, "admin", "add", "424242").exit_code == 0
    assert thidua(env, "admin", "add", "424242").exit_code == 0
    engine = make_engine(env["DATABASE_URL"])
    with Session(engine) as session:
        person = session.exec(select(Person)).one()
        assert (person.telegram_id, person.is_admin) == (424242, True)
        assert len(session.exec(select(AuditEvent)).all()) == 1
    engine.dispose()


def test_invite_without_a_token_exits_2_with_one_sentence(env: dict[str, str]) -> None:
    thidua(env, "import", EXAMPLE)
    result = thidua(env, "invite", "--unit", "sa-thay")
    assert result.exit_code == 2
    assert "TELEGRAM_BOT_TOKEN" in result.output


def test_invite_for_an_unknown_unit_says_so(env: dict[str, str]) -> None:
    result = thidua({**env, "TELEGRAM_BOT_TOKEN": "1:x"}, "invite", "--unit", "xa-la")
    assert result.exit_code == 2
    assert "xa-la" in result.output


def test_invite_with_a_bad_lifetime_says_how_to_write_it(env: dict[str, str]) -> None:
    result = thidua(env, "invite", "--unit", "sa-thay", "--expires", "soon")
    assert result.exit_code == 2
    assert "7d" in result.output


def test_db_upgrade_succeeds(env: dict[str, str]) -> None:
    result = thidua(env, "db", "upgrade")
    assert result.exit_code == 0, result.output


def test_run_without_a_token_exits_2_without_a_traceback(tmp_path: Path) -> None:
    environment = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": "",
        "DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
    }
    process = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        env=environment,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert process.returncode == 2
    assert "Traceback" not in process.stderr
    assert process.stderr.strip().count("\n") == 0 and "TELEGRAM_BOT_TOKEN" in process.stderr


def test_a_bad_setting_exits_2_without_a_traceback(tmp_path: Path) -> None:
    environment = {**os.environ, "THIDUA_TIMEZONE": "Mars/Olympus"}
    process = subprocess.run(
        [sys.executable, "-m", "bot", "db", "upgrade"],
        env=environment,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert process.returncode == 2
    assert "Traceback" not in process.stderr and "THIDUA_TIMEZONE" in process.stderr


@pytest.mark.parametrize(
    ("locale", "words", "foreign"),
    [
        ("vi", ("Cách dùng:", "Tùy chọn:", "Nhập tệp thiết lập"), ("Usage", "Options", "Import")),
        (
            "en",
            ("Usage:", "Options:", "Import a set-up file"),
            ("Cách dùng", "Tùy chọn", "Nhập tệp"),
        ),
    ],
)
def test_help_is_in_thidua_locale(
    locale: str, words: tuple[str, ...], foreign: tuple[str, ...]
) -> None:
    for args in (["--help"], ["import", "--help"]):
        output = CliRunner().invoke(main, args, env={"THIDUA_LOCALE": locale}).output
        assert all(word in output for word in words[:2]), output
        assert not any(word in output for word in foreign[:2]), output
    output = CliRunner().invoke(main, ["--help"], env={"THIDUA_LOCALE": locale}).output
    assert words[2] in output and foreign[2] not in output


def test_usage_errors_and_bad_settings_are_in_thidua_locale() -> None:
    result = CliRunner().invoke(main, ["export", "--period"], env={"THIDUA_LOCALE": "vi"})
    assert result.exit_code == 2 and "Lỗi: Tùy chọn '--period' cần một giá trị." in result.output
    result = CliRunner().invoke(main, ["export", "--period"], env={"THIDUA_LOCALE": "en"})
    assert "Error: Option '--period' requires an argument." in result.output
    bad = {"THIDUA_LOCALE": "en", "THIDUA_WEBHOOK_PORT": "70000", "THIDUA_TIMEZONE": "Mars/X"}
    result = CliRunner().invoke(main, ["db", "upgrade"], env=bad)
    assert result.exit_code == 2
    assert "THIDUA_TIMEZONE: no such timezone" in result.output
    assert "THIDUA_WEBHOOK_PORT: needs at most 65535" in result.output
    bad["THIDUA_LOCALE"] = "vi"
    result = CliRunner().invoke(main, ["db", "upgrade"], env=bad)
    assert "Cấu hình không hợp lệ: THIDUA_TIMEZONE: không có múi giờ này" in result.output
    assert "cần không quá 65535 (đang là “70000”)" in result.output
