"""A period's scores from stored figures, self-scores, the chair's changes and approvals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.domain.scoring import APPROVED, CLUSTER, SELF, ClusterScores
from bot.storage import session_scope
from bot.storage.models import AuditEvent
from bot.storage.scoring import load_scores
from bot.storage.scoring_reviews import (
    ScoresLocked,
    approval_of,
    approve_scores,
    change_score,
    explain_change,
    score_changes,
    unlock_scores,
)
from tests.support.factories import example_cluster
from tests.support.scoring import FIGURES, ids, own_scores, score_example, submit_figures

D = Decimal


@pytest.fixture
def scored(engine: Engine) -> Engine:
    """The example cluster with a scoring table; three of its five units have submitted."""
    score_example(engine)
    return engine


def _scores(engine: Engine) -> ClusterScores:
    period_id, cluster_id, _ = ids(engine, "kon-tum")
    with Session(engine) as session:
        return load_scores(session, period_id=period_id)[cluster_id]


def _table(scores: ClusterScores, layer: str) -> list[tuple[str, int | None, str, str | None]]:
    ranking = scores.layer(layer)
    assert ranking is not None
    return [(s.unit, s.rank, str(s.total), s.grade) for s in ranking.standings]


def _change(engine: Engine, unit: str, key: str, value: str, reason: str = "Lý do") -> int:
    period_id, cluster_id, unit_id = ids(engine, unit)
    with session_scope(engine) as session:
        change = change_score(
            session,
            period_id=period_id,
            cluster_id=cluster_id,
            unit_id=unit_id,
            criterion_key=key,
            value=D(value),
            reason=reason,
            actor="chair:1001",
        )
        assert change.id is not None
        return change.id


def test_the_self_score_is_computed_from_the_latest_figures_and_the_unitsown_scores(
    scored: Engine,
) -> None:
    scores = _scores(scored)
    assert _table(scores, SELF) == [
        ("kon-tum", 1, "81.00", "Tốt"),
        ("sa-thay", 2, "70.90", "Khá"),
        ("dak-cam", 3, "57.00", None),
        ("mo-rai", None, "0", None),
        ("ia-dal", None, "0", None),
    ]
    own = scores.layers[SELF].of("sa-thay")
    assert own is not None
    assert own.leaves["thu-ngan-sach"] == D("10.50") and own.leaves["tcd-htt"] == D("9.40")
    assert own.subtotals == {
        "kt-xh": D("29.50"),
        "xd-dang": D("16.40"),
        "tdkt": D("20.00"),
        "thuong-tru": D("5.00"),
    }


def test_a_missing_figure_or_own_score_scores_zero_and_is_marked(scored: Engine) -> None:
    scores = _scores(scored)
    assert scores.missing["dak-cam"] == {"tcd-htt"}
    assert scores.missing["sa-thay"] == {"dien-hinh"}
    assert scores.missing["kon-tum"] == frozenset()


def test_without_changes_the_cluster_score_equals_the_self_score_and_none_is_approved(
    scored: Engine,
) -> None:
    scores = _scores(scored)
    assert _table(scores, CLUSTER) == _table(scores, SELF)
    assert scores.layer(APPROVED) is None


def test_the_chairs_change_makes_the_cluster_score_and_equal_totals_are_ties(
    scored: Engine,
) -> None:
    _change(scored, "kon-tum", "to-chuc", "7")
    _change(scored, "sa-thay", "dien-hinh", "5")
    _change(scored, "sa-thay", "dien-hinh", "8.1", "Có minh chứng bổ sung")
    scores = _scores(scored)
    ranking = scores.layers[CLUSTER]
    assert [(s.unit, s.rank, s.tied, str(s.total)) for s in ranking.standings[:3]] == [
        ("kon-tum", 1, True, "79.00"),
        ("sa-thay", 1, True, "79.00"),
        ("dak-cam", 3, False, "57.00"),
    ]
    assert scores.changed("sa-thay") == {"dien-hinh"}
    assert _table(scores, SELF)[0] == ("kon-tum", 1, "81.00", "Tốt")


def test_a_later_revision_replaces_the_figures_and_own_scores_of_the_earlier_one(
    scored: Engine,
) -> None:
    answers = FIGURES["dak-cam"] | {"tcd-htt": "50/53"}
    submission_id = submit_figures(scored, "dak-cam", answers, revision=2)
    own_scores(scored, submission_id, {"to-chuc": "10"})
    own = _scores(scored).layers[SELF].of("dak-cam")
    assert own is not None
    assert (own.leaves["tcd-htt"], own.leaves["to-chuc"], own.leaves["dien-hinh"]) == (
        D("10.00"),
        D("10.00"),
        D("0.00"),
    )


def test_approval_locks_the_cluster_score_and_a_change_then_needs_an_unlock(
    scored: Engine,
) -> None:
    period_id, cluster_id, _ = ids(scored, "kon-tum")
    _change(scored, "kon-tum", "to-chuc", "7")
    with session_scope(scored) as session:
        approve_scores(session, period_id=period_id, cluster_id=cluster_id, actor="admin:1")
    assert _table(_scores(scored), APPROVED) == _table(_scores(scored), CLUSTER)
    with pytest.raises(ScoresLocked):
        _change(scored, "kon-tum", "to-chuc", "10")
    with session_scope(scored) as session:
        unlock_scores(session, period_id=period_id, cluster_id=cluster_id, actor="admin:1")
    assert _scores(scored).layer(APPROVED) is None
    _change(scored, "kon-tum", "to-chuc", "3")
    with session_scope(scored) as session:
        approval = approve_scores(session, period_id=period_id, cluster_id=cluster_id, actor="a")
        assert approval.state == "locked"
    assert _table(_scores(scored), APPROVED)[0] == ("kon-tum", 1, "75.00", "Khá")


def test_the_approved_score_is_the_last_reviewers_value_not_the_highest(scored: Engine) -> None:
    period_id, cluster_id, _ = ids(scored, "sa-thay")
    _change(scored, "sa-thay", "sang-kien", "2")
    with session_scope(scored) as session:
        approve_scores(session, period_id=period_id, cluster_id=cluster_id, actor="admin:1")
    approved = _scores(scored).layers[APPROVED].of("sa-thay")
    assert approved is not None and approved.leaves["sang-kien"] == D("2.00")


def test_each_change_approval_and_unlock_is_audited(scored: Engine) -> None:
    period_id, cluster_id, _ = ids(scored, "kon-tum")
    _change(scored, "kon-tum", "to-chuc", "7", "Chưa đủ minh chứng")
    with session_scope(scored) as session:
        approve_scores(session, period_id=period_id, cluster_id=cluster_id, actor="admin:1")
        unlock_scores(session, period_id=period_id, cluster_id=cluster_id, actor="admin:1")
    with Session(scored) as session:
        events = session.exec(
            select(AuditEvent)
            .where(col(AuditEvent.action).startswith("score."))
            .order_by(col(AuditEvent.id))
        ).all()
    assert [(e.action, e.entity_key, e.actor) for e in events] == [
        ("score.change", "2026-h1/kt-cum2/kon-tum/to-chuc", "chair:1001"),
        ("score.approve", "2026-h1/kt-cum2", "admin:1"),
        ("score.unlock", "2026-h1/kt-cum2", "admin:1"),
    ]
    assert events[0].before == {"value": "9"}
    assert events[0].after == {"value": "7", "reason": "Chưa đủ minh chứng"}
    assert events[1].after is not None and events[1].after["kon-tum"] == "79.00"


def test_the_units_explanation_is_kept_with_the_change_for_the_chair(scored: Engine) -> None:
    period_id, cluster_id, _ = ids(scored, "kon-tum")
    change_id = _change(scored, "kon-tum", "to-chuc", "7")
    with session_scope(scored) as session:
        explain_change(
            session,
            change_id=change_id,
            text="  Đơn vị đã tổ chức 3 hội nghị, có biên bản kèm theo.  ",
            person_id=None,
            actor="focal:1001",
        )
    with Session(scored) as session:
        (change,) = score_changes(session, period_id=period_id, cluster_id=cluster_id)
    assert change.explanation == "Đơn vị đã tổ chức 3 hội nghị, có biên bản kèm theo."
    assert change.explained_at is not None and change.reason == "Lý do"


@pytest.mark.parametrize(
    ("key", "value", "reason"),
    [("to-chuc", "11", "Lý do"), ("vi-pham", "5", "Lý do"), ("to-chuc", "5", "  ")],
)
def test_a_change_outside_the_leafs_bounds_or_without_a_reason_is_refused(
    scored: Engine, key: str, value: str, reason: str
) -> None:
    with pytest.raises(ValueError):
        _change(scored, "sa-thay", key, value, reason)


def test_a_change_of_an_unknown_criterion_is_refused(scored: Engine) -> None:
    with pytest.raises(LookupError):
        _change(scored, "sa-thay", "khong-co", "1")


def test_a_self_score_only_goes_to_a_people_scored_criterion_within_its_maximum(
    scored: Engine,
) -> None:
    submission_id = submit_figures(scored, "mo-rai", {}, revision=1)
    with pytest.raises(ValueError):
        own_scores(scored, submission_id, {"sang-kien": "5"})
    with pytest.raises(ValueError):
        own_scores(scored, submission_id, {"to-chuc": "10.5"})


def test_recording_a_self_score_again_keeps_one_row_with_the_new_value(scored: Engine) -> None:
    submission_id = submit_figures(scored, "mo-rai", {}, revision=1)
    own_scores(scored, submission_id, {"to-chuc": "4"})
    own_scores(scored, submission_id, {"to-chuc": "6"})
    own = _scores(scored).layers[SELF].of("mo-rai")
    assert own is not None and own.leaves["to-chuc"] == D("6.00") and own.rank == 4


def test_unlocking_scores_that_are_not_locked_is_refused(scored: Engine) -> None:
    period_id, cluster_id, _ = ids(scored, "kon-tum")
    with session_scope(scored) as session:
        with pytest.raises(ValueError):
            unlock_scores(session, period_id=period_id, cluster_id=cluster_id, actor="a")
        assert approval_of(session, period_id=period_id, cluster_id=cluster_id) is None


def test_a_cluster_without_a_scoring_table_has_no_scores(engine: Engine) -> None:
    example_cluster(engine, group=False)
    period_id, _, _ = ids(engine, "kon-tum")
    with Session(engine) as session:
        assert load_scores(session, period_id=period_id) == {}
