"""The set-up file's conferences, votes and cluster keys: read with defaults, problems by path."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
import yaml

from bot.domain.agenda import VOTE, AgendaItem
from bot.domain.tally import MORE_THAN_HALF, Base, Threshold
from bot.setup import SetupError, SetupFile, read_setup
from bot.setup.conference_specs import LeaderSpec
from tests.setup.conference_example import CONFERENCES, Tree, as_text, example_tree


@pytest.fixture
def conference_yaml(example_yaml: str) -> str:
    """The example file with the conferences and cluster keys of the shared example."""
    return as_text(example_tree(example_yaml))


def _problems(text: str, **options: Any) -> list[str]:
    with pytest.raises(SetupError) as caught:
        read_setup(text, **options)
    return [str(problem) for problem in caught.value.problems]


def _read(conference_yaml: str) -> SetupFile:
    return read_setup(conference_yaml)


def test_the_mid_year_conference_reads_with_its_times_agenda_and_votes(
    conference_yaml: str,
) -> None:
    setup = _read(conference_yaml)
    assert setup.warnings == ()
    first = setup.conferences[0]
    assert (first.code, first.cluster, first.period, first.kind) == (
        "2026-h1-hn",
        "kt-cum2",
        "2026-h1",
        "so-ket",
    )
    assert first.starts.astimezone(UTC) == datetime(2026, 7, 10, 7, 0, tzinfo=UTC)
    assert first.ends is not None and first.ends.astimezone(UTC).hour == 10
    assert first.rsvp_by.astimezone(UTC) == datetime(2026, 7, 7, 10, 0, tzinfo=UTC)
    assert (first.host, first.place_name, first.delegates) == ("sa-thay", "Sa Thầy", 3)
    assert first.reminder_minutes == (3 * 1440, 1440)
    assert first.agenda[1] == AgendaItem("Báo cáo sơ kết của Cụm", at="14:10", by="kon-tum")
    assert first.agenda[2].kind == VOTE
    approval, election = first.votes
    assert (approval.approval, approval.secret, approval.threshold) == (True, False, MORE_THAN_HALF)
    assert (election.seats, election.candidates, election.secret) == (1, (), True)
    assert (election.base, election.quorum, election.elects) == (Base.PRESENT, MORE_THAN_HALF, None)


def test_the_year_end_conference_takes_the_documented_defaults(conference_yaml: str) -> None:
    second = _read(conference_yaml).conferences[1]
    assert second.host is None  # the chair's unit, found when it is imported
    assert (second.period, second.ends, second.place_name) == (None, None, None)
    assert second.agenda == ()  # the template of the kind, filled when it is imported
    (vote,) = second.votes
    assert vote.candidates == ("dak-cam", "mo-rai", "ia-dal")
    assert (vote.elects, vote.year) == ("vice_chair", 2027)
    assert vote.rules.threshold == Threshold(2, 3, inclusive=True)
    assert vote.rules.base is Base.ALL
    assert vote.rules.quorum == MORE_THAN_HALF


def test_the_cluster_keys_are_read_and_default_to_a_cum_without_leaders(
    conference_yaml: str, example_yaml: str
) -> None:
    (cluster,) = _read(conference_yaml).clusters
    assert cluster.kind == "cum"
    assert cluster.leaders == (LeaderSpec(2027, chair="sa-thay"),)
    assert cluster.letterhead == ("UBND TỈNH QUẢNG NGÃI", "CỤM THI ĐUA SỐ 2")
    assert cluster.place_name == "Kon Tum"
    (plain,) = read_setup(example_yaml).clusters
    assert (plain.kind, plain.leaders, plain.letterhead, plain.place_name) == ("cum", (), (), None)


def test_a_block_and_a_one_line_letterhead_are_understood(example_yaml: str) -> None:
    tree = example_tree(example_yaml)
    tree["clusters"][0].update({"kind": "khoi", "letterhead": "SỞ NỘI VỤ"})
    (cluster,) = read_setup(as_text(tree)).clusters
    assert (cluster.kind, cluster.letterhead) == ("khoi", ("SỞ NỘI VỤ",))


def test_merged_and_renamed_units_keep_where_they_come_from(example_yaml: str) -> None:
    tree = example_tree(example_yaml)
    units = tree["clusters"][0]["units"]
    units.append({"code": "xa-moi", "name": "Xã Mới", "merged_from": ["xa-cu-1", "xa-cu-2"]})
    units.append({"code": "phuong-a", "name": "Phường A", "renamed_from": "thi-tran-a"})
    read = {unit.code: unit for unit in read_setup(as_text(tree)).clusters[0].units}
    assert read["xa-moi"].merged_from == ("xa-cu-1", "xa-cu-2")
    assert read["phuong-a"].renamed_from == "thi-tran-a"
    assert (read["sa-thay"].merged_from, read["sa-thay"].renamed_from) == ((), None)


def _conference(tree: Tree, index: int = 0) -> Tree:
    conference: Tree = tree["conferences"][index]
    return conference


def _vote(tree: Tree, conference: int, vote: int) -> Tree:
    found: Tree = tree["conferences"][conference]["votes"][vote]
    return found


DROP = object()  # the key is taken out of the file


def _set(tree: Tree, where: str, value: object) -> None:
    """Set (or drop) the value at a dotted path such as `conferences.0.votes.1.seats`."""
    *parents, last = where.split(".")
    node: Any = tree
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    if value is DROP:
        node.pop(last)
    else:
        node[last] = value


def _path(where: str) -> str:
    """`conferences.0.votes.1` as the reader writes it: `conferences[0].votes[1]`."""
    return re.sub(r"\.(\d+)", r"[\1]", where)


C0, C1, V01, V10 = (
    "conferences.0",
    "conferences.1",
    "conferences.0.votes.1",
    "conferences.1.votes.0",
)
BAD_EDITS: list[tuple[str, object, str | None]] = [
    (f"{C0}.cluster", "khong-co", None),
    (f"{C0}.period", "2030-h1", None),
    (f"{C0}.host", "xa-la", None),
    (f"{C0}.agenda.1.by", "xa-la", None),
    (f"{C0}.kind", "dai-hoi", None),
    (f"{C0}.starts", DROP, None),
    (f"{C0}.starts", "10/7/2026", None),
    (f"{C0}.rsvp_by", "2026-06-25 17:00", None),
    (f"{C0}.rsvp_by", "2026-07-10 15:00", f"{C0}.starts"),
    (f"{C0}.ends", "2026-07-10 13:00", None),
    (f"{C0}.reminders", ["3d", "mai"], f"{C0}.reminders.1"),
    (f"{C0}.delegates", 0, None),
    (f"{C0}.delegates", "ba", None),
    (f"{C0}.delegates", DROP, None),
    (f"{C0}.place", DROP, None),
    (f"{C1}.code", "2026-h1-hn", None),
    (f"{C0}.agenda", "14:00 Khai mạc", None),
    (f"{C0}.agenda.0.at", "25:00", None),
    (f"{C0}.agenda.0.title", DROP, None),
    (f"{C0}.agenda.0.kind", "break", None),
    (f"{C0}.votes", {"code": "x"}, None),
    (f"{V01}.code", "thong-qua", None),
    (f"{V01}.threshold", "1/2", None),
    (f"{V01}.threshold", ">3/2", None),
    (f"{V01}.quorum", "most", None),
    (f"{V01}.base", "members", None),
    (f"{V01}.seats", 0, None),
    (f"{V01}.seats", 6, None),  # more than the cluster's five units
    (f"{V01}.year", 2027, None),  # a year without `elects`
    (f"{V01}.secret", "có", None),
    (f"{C0}.votes.0.seats", 1, None),  # an approval has its three answers
    (f"{C0}.votes.0.candidates", ["sa-thay"], None),
    (f"{V10}.candidates", ["xa-la"], f"{V10}.candidates.0"),
    (f"{V10}.candidates", ["dak-cam", "dak-cam"], f"{V10}.candidates.1"),
    (f"{V10}.candidates", "some", None),
    (f"{V10}.seats", 4, None),  # more than its three candidates
    (f"{V10}.seats", 2, None),  # a vice-chair is one unit
    (f"{V10}.elects", "secretary", None),
    (f"{V10}.year", DROP, None),
    ("clusters.0.kind", "huyen", None),
    ("clusters.0.leaders.0.chair", "xa-la", None),
    ("clusters.0.leaders.0.year", 2026, None),  # the cluster's own year
    ("clusters.0.leaders.0.year", DROP, None),
    ("clusters.0.leaders.0.chair", DROP, "clusters.0.leaders.0"),
    ("clusters.0.letterhead", ["A", "B", "C", "D"], None),
    ("clusters.0.letterhead", ["UBND", " "], None),
    ("clusters.0.units.0.merged_from", ["xã cũ"], "clusters.0.units.0.merged_from.0"),
    ("clusters.0.units.0.renamed_from", "kon-tum", "clusters.0.units.0"),
]


@pytest.mark.parametrize(
    ("where", "value", "reported"),
    BAD_EDITS,
    ids=[f"{where}={value if value is not DROP else '-'}" for where, value, _ in BAD_EDITS],
)
def test_a_bad_conference_or_cluster_key_is_refused_at_its_path(
    example_yaml: str, where: str, value: object, reported: str | None
) -> None:
    tree = example_tree(example_yaml)
    _set(tree, where, value)
    problems = _problems(as_text(tree))
    assert any(p.startswith(_path(reported or where) + ":") for p in problems), problems


def test_a_period_that_does_not_include_the_conferences_cluster_is_refused(
    example_yaml: str,
) -> None:
    tree = example_tree(example_yaml)
    units = [{"code": "x", "name": "X"}]
    tree["clusters"].append({"code": "kt-cum3", "name": "Cụm thi đua số 3", "units": units})
    _conference(tree).update(cluster="kt-cum3", host="x")
    _conference(tree)["agenda"][1].pop("by")
    assert _problems(as_text(tree)) == [
        "conferences[0].period: kỳ báo cáo «2026-h1» không gồm cụm «kt-cum3»."
    ]


def test_a_unit_both_merged_and_renamed_is_refused(example_yaml: str) -> None:
    tree = example_tree(example_yaml)
    tree["clusters"][0]["units"][0].update(merged_from=["a"], renamed_from="b")
    assert _problems(as_text(tree)) == [
        "clusters[0].units[0]: chỉ dùng một trong merged_from hoặc renamed_from."
    ]


def test_every_problem_of_a_conference_is_listed_not_only_the_first(example_yaml: str) -> None:
    tree = example_tree(example_yaml)
    _conference(tree).update(cluster="khong-co", delegates=0, rsvp_by="2026-06-01 08:00")
    _vote(tree, 1, 0).update(threshold="most")
    paths = [problem.split(":")[0] for problem in _problems(as_text(tree))]
    assert paths == [
        "conferences[0].cluster",
        "conferences[0].rsvp_by",
        "conferences[0].delegates",
        "conferences[1].votes[0].threshold",
    ]


def test_the_problems_are_clear_vietnamese_sentences(example_yaml: str) -> None:
    tree = example_tree(example_yaml)
    _conference(tree).update(rsvp_by="2026-06-25 17:00")
    _vote(tree, 0, 1).update(threshold="1/2")
    assert _problems(as_text(tree)) == [
        "conferences[0].rsvp_by: hạn đăng ký (rsvp_by) không được sớm hơn lúc gửi giấy mời "
        "(invite).",
        'conferences[0].votes[1].threshold: «1/2» không phải ngưỡng như ">1/2" hoặc ">=2/3".',
    ]


def test_unknown_conference_and_vote_keys_are_warnings(example_yaml: str) -> None:
    tree = example_tree(example_yaml)
    _conference(tree)["colour"] = "xanh"
    _vote(tree, 0, 0)["weight"] = 2
    setup = read_setup(as_text(tree))
    assert [w.path for w in setup.warnings] == [
        "conferences[0].colour",
        "conferences[0].votes[0].weight",
    ]


def test_an_unquoted_title_cut_at_its_comma_is_joined_back_with_a_warning(
    example_yaml: str,
) -> None:
    tree = example_tree(example_yaml)
    # The shape of the shared example's lines: YAML reads the part after the comma as a key.
    tree["conferences"][0]["agenda"][0] = yaml.safe_load(
        "{at: '14:00', title: Tuyên bố lý do, giới thiệu đại biểu, khách mời}"
    )
    setup = read_setup(as_text(tree))
    assert setup.conferences[0].agenda[0].title == "Tuyên bố lý do, giới thiệu đại biểu, khách mời"
    assert [str(w) for w in setup.warnings] == [
        "conferences[0].agenda[0].title: tiêu đề có dấu phẩy nên bị tách; đã ghép lại, nên đặt "
        "trong ngoặc kép."
    ]


def test_an_unquoted_clock_in_the_agenda_is_understood() -> None:
    text = CONFERENCES.replace('{at: "14:00",', "{at: 14:00,")
    setup = read_setup(
        "conferences:\n" + "\n".join("  " + line for line in text.splitlines()),
        known_clusters={
            "kt-cum2": frozenset({"kon-tum", "sa-thay", "dak-cam", "mo-rai", "ia-dal"})
        },
        known_periods={"2026-h1": frozenset({"kt-cum2"})},
    )
    assert setup.conferences[0].agenda[0].at == "14:00"


def test_a_file_of_conferences_alone_may_refer_to_what_is_in_the_database() -> None:
    units = frozenset({"kon-tum", "sa-thay", "dak-cam", "mo-rai", "ia-dal"})
    text = "conferences:\n" + "\n".join("  " + line for line in CONFERENCES.splitlines())
    setup = read_setup(
        text, known_clusters={"kt-cum2": units}, known_periods={"2026-h1": frozenset({"kt-cum2"})}
    )
    assert [c.code for c in setup.conferences] == ["2026-h1-hn", "2026-tk-hn"]
    assert (setup.clusters, setup.periods) == ((), ())
    problems = _problems(text, known_clusters={"kt-cum2": units})
    assert problems == ["conferences[0].period: không có kỳ báo cáo «2026-h1»."]
