"""Importing a scoring table into SQLite and PostgreSQL: by key, idempotent, read back the same."""

from __future__ import annotations

from typing import Any

import yaml
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from bot.setup import read_setup
from bot.setup.changes import change_lines
from bot.storage import session_scope
from bot.storage.models import Cluster
from bot.storage.scoring import scoring_tables
from bot.storage.scoring_tables import ScoringClass, ScoringCriterion
from bot.storage.setup_import import Change, apply_setup, known_clusters
from bot.storage.types import require_id
from tests.support.scoring import SCORING, scoring_tree, scoring_yaml


def _import(engine: Engine, text: str) -> list[Change]:
    with session_scope(engine) as session:
        setup = read_setup(text, known_clusters=known_clusters(session))
        return apply_setup(session, setup, actor="test")


def _scoring_changes(changes: list[Change]) -> list[tuple[str, str, str]]:
    return [(c.action, c.entity, c.key) for c in changes if c.entity.startswith("scoring")]


def _count(session: Session, model: type[ScoringCriterion] | type[ScoringClass]) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def _edited_table(edit: Any) -> str:
    table = yaml.safe_load(SCORING)
    edit(table)
    return scoring_yaml(table)


def test_importing_the_table_stores_its_sixteen_criteria_and_three_classes(
    engine: Engine,
) -> None:
    changes = _scoring_changes(_import(engine, scoring_yaml()))
    assert len(changes) == 19 and {action for action, _e, _k in changes} == {"created"}
    with Session(engine) as session:
        assert (_count(session, ScoringCriterion), _count(session, ScoringClass)) == (16, 3)


def test_the_stored_table_reads_back_as_the_files_table(engine: Engine) -> None:
    _import(engine, scoring_yaml())
    (pledge,) = read_setup(scoring_yaml()).pledges
    with Session(engine) as session:
        cluster_id = require_id(session.exec(select(Cluster)).one())
        tables = scoring_tables(session, cluster_ids=[cluster_id], year=2026)
    assert tables == {cluster_id: pledge.scoring}


def test_importing_the_same_table_again_changes_nothing(engine: Engine) -> None:
    _import(engine, scoring_yaml())
    assert _import(engine, scoring_yaml()) == []


def test_the_preview_lists_each_criterion_and_class_by_pledge_and_key(engine: Engine) -> None:
    lines = change_lines(_import(engine, scoring_yaml()), timezone="Asia/Ho_Chi_Minh", locale="vi")
    assert "Thêm mức xếp loại kt-cum2/2026/Xuất sắc: ngưỡng: 90" in lines
    (leaf,) = [
        line for line in lines if line.startswith("Thêm tiêu chí chấm điểm kt-cum2/2026/sang-kien")
    ]
    assert leaf.startswith("Thêm tiêu chí chấm điểm kt-cum2/2026/sang-kien: “")
    assert "{" not in leaf


def test_a_changed_maximum_updates_only_that_leaf_and_its_group(engine: Engine) -> None:
    _import(engine, scoring_yaml())

    def edit(table: dict[str, Any]) -> None:
        table["criteria"][0]["max"] = 55
        table["criteria"][0]["items"][0]["max"] = 20

    changes = _import(engine, _edited_table(edit))
    assert _scoring_changes(changes) == [
        ("updated", "scoring_criterion", "kt-cum2/2026/kt-xh"),
        ("updated", "scoring_criterion", "kt-cum2/2026/thu-ngan-sach"),
    ]
    assert changes[-1].before == {"max_points": "15"} and changes[-1].after == {"max_points": "20"}


def test_a_leaf_or_class_dropped_from_the_file_is_removed(engine: Engine) -> None:
    _import(engine, scoring_yaml())

    def edit(table: dict[str, Any]) -> None:
        table["criteria"][3]["items"].pop()
        del table["classes"]["Khá"]

    assert _scoring_changes(_import(engine, _edited_table(edit))) == [
        ("removed", "scoring_criterion", "kt-cum2/2026/vi-pham"),
        ("removed", "scoring_class", "kt-cum2/2026/Khá"),
    ]


def test_a_pledge_without_its_table_any_more_loses_the_stored_table(engine: Engine) -> None:
    _import(engine, scoring_yaml())
    tree = scoring_tree()
    del tree["pledges"][0]["scoring"]
    changes = _scoring_changes(_import(engine, yaml.safe_dump(tree, allow_unicode=True)))
    assert len(changes) == 19 and {action for action, _e, _k in changes} == {"removed"}
    with Session(engine) as session:
        assert (_count(session, ScoringCriterion), _count(session, ScoringClass)) == (0, 0)


def test_next_years_pledge_with_indicators_from_gets_its_own_copy_of_the_table(
    engine: Engine,
) -> None:
    tree = scoring_tree()
    tree["pledges"].append({"cluster": "kt-cum2", "year": 2027, "indicators_from": 2026})
    _import(engine, yaml.safe_dump(tree, allow_unicode=True))
    with Session(engine) as session:
        cluster_id = require_id(session.exec(select(Cluster)).one())
        this_year = scoring_tables(session, cluster_ids=[cluster_id], year=2026)
        next_year = scoring_tables(session, cluster_ids=[cluster_id], year=2027)
        assert _count(session, ScoringCriterion) == 32
    assert next_year == this_year and next_year
