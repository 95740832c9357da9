"""The set-up reader accepts the example and lists every problem of a bad file by its path."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
import yaml

from bot.setup import SetupError, read_setup


def _problems(text: str, **options: object) -> list[str]:
    with pytest.raises(SetupError) as caught:
        read_setup(text, **options)  # type: ignore[arg-type]
    return [str(problem) for problem in caught.value.problems]


def _edited(example_yaml: str, edit: object) -> str:
    tree = yaml.safe_load(example_yaml)
    edit(tree)  # type: ignore[operator]
    return yaml.safe_dump(tree, allow_unicode=True)


def test_the_example_file_reads_as_one_cluster_with_five_units_and_eleven_indicators(
    example_yaml: str,
) -> None:
    setup = read_setup(example_yaml)
    (cluster,) = setup.clusters
    assert [unit.code for unit in cluster.units] == [
        "kon-tum",
        "sa-thay",
        "dak-cam",
        "mo-rai",
        "ia-dal",
    ]
    assert (cluster.chair, cluster.vice_chair, cluster.year) == ("kon-tum", "sa-thay", 2026)
    (pledge,) = setup.pledges
    assert len(pledge.indicators) == 11
    assert pledge.targets["kon-tum"] == {
        "thu-ngan-sach": "620",
        "xa-ntm": "8",
        "quy-vi-nguoi-ngheo": "1500",
        "hs-bo-hoc": "0.3",
    }
    assert pledge.indicators[2].integer is True
    assert pledge.indicators[4].max == Decimal(100)
    assert pledge.indicators[7].options == ("Tốt", "Khá", "Trung bình", "Yếu")
    assert setup.warnings == ()


def test_period_times_are_read_in_the_files_timezone_not_the_servers(example_yaml: str) -> None:
    (period,) = read_setup(example_yaml).periods
    assert period.opens.astimezone(UTC) == datetime(2026, 6, 1, 1, 0, tzinfo=UTC)
    assert period.deadline.astimezone(UTC) == datetime(2026, 6, 20, 10, 0, tzinfo=UTC)
    assert period.reminder_minutes == (7 * 1440, 3 * 1440, 1440, 120)
    assert period.digest == "08:00"
    assert period.lock_after_minutes == 7 * 1440
    assert period.covers is not None and period.covers[0].isoformat() == "2025-12-15"


BAD_EDITS = [
    (
        "target_for_unknown_indicator",
        lambda t: t["pledges"][0]["targets"]["sa-thay"].update({"khong-co": 1}),
        "pledges[0].targets.sa-thay.khong-co:",
    ),
    (
        "target_for_unknown_unit",
        lambda t: t["pledges"][0]["targets"].update({"xa-la": {"xa-ntm": 1}}),
        "pledges[0].targets.xa-la:",
    ),
    (
        "duplicate_unit_code",
        lambda t: t["clusters"][0]["units"].append({"code": "sa-thay", "name": "Lần nữa"}),
        "clusters[0].units[5].code:",
    ),
    (
        "duplicate_indicator_code",
        lambda t: t["pledges"][0]["indicators"].append(
            {"code": "xa-ntm", "name": "Trùng", "kind": "number"}
        ),
        "pledges[0].indicators[11].code:",
    ),
    (
        "duplicate_period_code",
        lambda t: t["periods"].append(dict(t["periods"][0])),
        "periods[1].code:",
    ),
    (
        "bad_date",
        lambda t: t["periods"][0].update({"opens": "2026-13-45 08:00"}),
        "periods[0].opens:",
    ),
    (
        "deadline_before_opens",
        lambda t: t["periods"][0].update({"deadline": "2026-05-01 17:00"}),
        "periods[0].deadline:",
    ),
    (
        "unknown_kind",
        lambda t: t["pledges"][0]["indicators"][0].update({"kind": "money"}),
        "pledges[0].indicators[0].kind:",
    ),
    (
        "target_on_text_indicator",
        lambda t: t["pledges"][0]["targets"]["sa-thay"].update({"noi-bat": 5}),
        "pledges[0].targets.sa-thay.noi-bat:",
    ),
    (
        "bad_reminder_offset",
        lambda t: t["periods"][0].update({"reminders": ["7d", "2w"]}),
        "periods[0].reminders[1]:",
    ),
    (
        "unknown_cluster_in_period",
        lambda t: t["periods"][0].update({"clusters": ["kt-cum9"]}),
        "periods[0].clusters[0]:",
    ),
    (
        "chair_outside_the_cluster",
        lambda t: t["clusters"][0].update({"chair": "xa-la"}),
        "clusters[0].chair:",
    ),
    (
        "choice_without_options",
        lambda t: t["pledges"][0]["indicators"][7].pop("options"),
        "pledges[0].indicators[7].options:",
    ),
    (
        "min_above_max",
        lambda t: t["pledges"][0]["indicators"][1].update({"min": 500}),
        "pledges[0].indicators[1].max:",
    ),
    ("bad_timezone", lambda t: t.update({"timezone": "Mars/Olympus"}), "timezone:"),
]


@pytest.mark.parametrize(("case", "edit", "path"), BAD_EDITS, ids=[c[0] for c in BAD_EDITS])
def test_a_bad_file_is_refused_with_the_path_of_the_problem(
    example_yaml: str, case: str, edit: object, path: str
) -> None:
    problems = _problems(_edited(example_yaml, edit))
    assert any(problem.startswith(path) for problem in problems), problems


def test_every_problem_is_listed_not_only_the_first(example_yaml: str) -> None:
    def break_three_things(tree: dict) -> None:  # type: ignore[type-arg]
        tree["pledges"][0]["indicators"][0]["kind"] = "money"
        tree["periods"][0]["deadline"] = "2026-05-01 17:00"
        tree["pledges"][0]["targets"]["sa-thay"]["khong-co"] = 1

    problems = _problems(_edited(example_yaml, break_three_things))
    assert len(problems) == 3, problems


def test_the_example_problem_message_names_the_missing_indicator_in_vietnamese(
    example_yaml: str,
) -> None:
    text = _edited(example_yaml, BAD_EDITS[0][1])
    assert _problems(text) == ["pledges[0].targets.sa-thay.khong-co: không có chỉ tiêu này."]
    assert _problems(text, locale="en") == [
        "pledges[0].targets.sa-thay.khong-co: no such indicator."
    ]


@pytest.mark.parametrize(
    "content",
    [
        "",
        "   \n",
        "# only a comment\n",
        "clusters: [\n  - {code: x",
        "just a sentence",
        "- 1\n- 2\n",
        "\x00\x01binary",
    ],
    ids=["empty", "blank", "comment", "broken-yaml", "scalar", "list", "binary"],
)
def test_an_empty_or_non_yaml_file_is_refused_with_a_clear_message(content: str) -> None:
    problems = _problems(content)
    assert problems and all(problem.strip() for problem in problems)


def test_an_unknown_key_is_a_warning_so_newer_files_still_import(example_yaml: str) -> None:
    text = _edited(example_yaml, lambda t: t["clusters"][0].update({"website": "kontum.gov.vn"}))
    setup = read_setup(text)
    assert [w.path for w in setup.warnings] == ["clusters[0].website"]


def test_an_unquoted_clock_that_yaml_reads_as_base_60_is_understood(example_yaml: str) -> None:
    text = example_yaml.replace('digest: "08:00"', "digest: 17:30")
    assert read_setup(text).periods[0].digest == "17:30"


def test_reminder_offsets_accept_days_hours_and_minutes(example_yaml: str) -> None:
    text = _edited(
        example_yaml,
        lambda t: t["periods"][0].update(
            {"reminders": ["1d12h", "90m", "2h"], "quiet_hours": "21:00-07:00", "lock_after": "3d"}
        ),
    )
    (period,) = read_setup(text).periods
    assert period.reminder_minutes == (2160, 120, 90)
    assert period.quiet_hours == "21:00-07:00"
    assert period.lock_after_minutes == 3 * 1440


def test_a_file_may_refer_to_a_cluster_already_in_the_database(example_yaml: str) -> None:
    tree = yaml.safe_load(example_yaml)
    del tree["clusters"]
    text = yaml.safe_dump(tree, allow_unicode=True)
    assert _problems(text)  # alone it does not know kt-cum2
    units = frozenset({"kon-tum", "sa-thay", "dak-cam", "mo-rai", "ia-dal"})
    setup = read_setup(text, known_clusters={"kt-cum2": units})
    assert setup.periods[0].clusters == ("kt-cum2",)
