"""A set-up file's problems say the line they are on, so the admin finds them in the editor."""

from __future__ import annotations

import pytest
import yaml

from bot.setup import Problem, SetupError, read_setup
from bot.setup.lines import line_of, located, with_lines

TEXT = """\
clusters:
  - code: c1
    name: Cụm 1
    units:
      - {code: a, name: Xã A}
      - code: b
        name: Xã B
pledges:
  - cluster: c1
    year: 2026
    targets:
      b: {thu: 5}
"""


@pytest.mark.parametrize(
    ("path", "line"),
    [
        ("clusters", 1),
        ("clusters[0].code", 2),
        ("clusters[0].units[0]", 5),
        ("clusters[0].units[1].name", 7),
        ("pledges[0].targets.b", 12),
        ("pledges[0].targets.b.thu", 12),
        ("pledges[0].indicators", 9),  # not written: the nearest part that is
        ("clusters[0].units[9]", 4),
        ("periods[0].deadline", None),
        ("", None),
    ],
)
def test_a_path_is_found_on_its_line_or_the_nearest_written_one(
    path: str, line: int | None
) -> None:
    assert line_of(yaml.compose(TEXT), path) == line


def test_each_problem_of_a_bad_file_says_its_line_before_its_path(example_yaml: str) -> None:
    bad = example_yaml.replace("kind: ratio", "kind: money")
    with pytest.raises(SetupError) as raised:
        read_setup(bad)
    [problem] = with_lines(raised.value, bad, "vi").problems
    line = 1 + next(n for n, text in enumerate(bad.splitlines()) if "kind: money" in text)
    assert problem.at == f"dòng {line}"
    assert str(problem).startswith(f"dòng {line}, pledges[0].indicators[5].kind: ")
    assert with_lines(raised.value, bad, "en").problems[0].at == f"line {line}"


def test_problems_without_a_path_or_of_a_file_that_is_no_yaml_stay_as_they_are() -> None:
    whole = SetupError([Problem("", "tệp trống.")])
    assert with_lines(whole, TEXT, "vi") is whole
    broken = SetupError([Problem("clusters[0]", "sai.")])
    assert with_lines(broken, "clusters: [a, {b", "vi").problems[0].at == ""


def test_a_warning_says_its_line_like_a_problem() -> None:
    text = TEXT + "conferences:\n  - {code: hn, title: Tuyên bố lý do, giới thiệu đại biểu}\n"
    warnings = [Problem("conferences[0].title", "tiêu đề có dấu phẩy."), Problem("", "chung.")]
    said = located(warnings, text, "vi")
    assert [str(w) for w in said] == [
        "dòng 14, conferences[0].title: tiêu đề có dấu phẩy.",
        "chung.",
    ]
