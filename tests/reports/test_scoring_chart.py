"""The summary chart with a scoring table: the ranking by total, after the indicators' panels."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace

import pytest
from PIL import Image
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.reports import Summary, build_summary, load_snapshot, summary_chart
from bot.reports.ranking_chart import ranked_clusters
from bot.storage import make_engine, upgrade
from tests.support.scoring import ids, score_example


@pytest.fixture
def scored(sqlite_url: str) -> Iterator[Engine]:
    """The example cluster with a scoring table; three of its five units have submitted."""
    engine = make_engine(sqlite_url)
    upgrade(engine)
    score_example(engine)
    yield engine
    engine.dispose()


def _summary(engine: Engine) -> Summary:
    period_id, cluster_id, _ = ids(engine, "kon-tum")
    with Session(engine) as session:
        return build_summary(load_snapshot(session, period_id=period_id, cluster_id=cluster_id))


def _size(png: bytes) -> tuple[int, int]:
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    return image.size


def test_a_scored_cluster_adds_its_ranking_below_the_indicators(scored: Engine) -> None:
    summary = _summary(scored)
    [(cluster, scores)] = ranked_clusters(summary)
    assert cluster.code == "kt-cum2" and len(scores.units) == 5
    unscored = replace(summary, clusters=tuple(replace(c, scores=None) for c in summary.clusters))
    assert ranked_clusters(unscored) == []
    with_ranking = _size(summary_chart(summary, locale="vi"))
    without = _size(summary_chart(unscored, locale="vi"))
    assert with_ranking[0] == without[0] and with_ranking[1] > without[1]


def test_a_ranking_without_any_target_is_still_drawn_alone(scored: Engine) -> None:
    summary = _summary(scored)
    alone = replace(summary, clusters=tuple(replace(c, indicators=()) for c in summary.clusters))
    width, height = _size(summary_chart(alone, locale="en"))
    assert width >= 800 and height >= 300
