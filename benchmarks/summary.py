"""The time to build a cluster summary: 16 units x 40 indicators, all submitted.

A temporary SQLite database gets one cluster (imported from a generated set-up file, as
`thidua import` does) and a submitted revision per unit; then each step is timed: the snapshot
(queries), the summary (pure), the text messages, the PNG chart and the Excel workbook. Each
step runs once to warm up (imports, font cache), then `--repeat` times; the median is reported.

    python benchmarks/summary.py [--units 16] [--indicators 40] [--repeat 5]

Other scripts call `measure_summary()` and print its figures next to their own.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import yaml
from sqlalchemy import insert
from sqlmodel import Session, col, select

from bot.reports import (
    Snapshot,
    build_summary,
    load_snapshot,
    summary_chart,
    summary_messages,
    summary_workbook,
)
from bot.setup import read_setup
from bot.storage import make_engine, session_scope, upgrade
from bot.storage.models import Answer, Indicator, Person, Submission, Unit
from bot.storage.setup_import import apply_setup, known_clusters

KINDS = ("number", "number", "percent", "number", "ratio", "yesno", "choice", "text")
OPTIONS = ["Tốt", "Khá", "Trung bình", "Yếu"]

T = TypeVar("T")


def setup_yaml(units: int, indicators: int) -> str:
    """A cluster of `units` communes pledging `indicators` indicators, with targets."""
    unit_codes = [f"xa-{n:02}" for n in range(units)]
    kinds = [KINDS[n % len(KINDS)] for n in range(indicators)]
    tree: dict[str, Any] = {
        "timezone": "Asia/Ho_Chi_Minh",
        "clusters": [
            {
                "code": "cum-1",
                "name": "Cụm thi đua số 1 – khối xã, phường",
                "units": [
                    {"code": c, "name": f"Xã Phước Hưng số {n}"} for n, c in enumerate(unit_codes)
                ],
            }
        ],
        "pledges": [
            {
                "cluster": "cum-1",
                "year": 2026,
                "indicators": [_indicator(n, kind) for n, kind in enumerate(kinds)],
                "targets": {
                    code: {
                        f"ct-{n:02}": (100 if kind == "percent" else 200 + 10 * u)
                        for n, kind in enumerate(kinds)
                        if kind in ("number", "percent")
                    }
                    for u, code in enumerate(unit_codes)
                },
            }
        ],
        "periods": [
            {
                "code": "2026-h1",
                "name": "Sơ kết 6 tháng đầu năm 2026",
                "clusters": ["cum-1"],
                "year": 2026,
                "opens": "2026-06-01 08:00",
                "deadline": "2026-06-20 17:00",
            }
        ],
    }
    return yaml.safe_dump(tree, allow_unicode=True)


def _indicator(n: int, kind: str) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "code": f"ct-{n:02}",
        "name": f"Chỉ tiêu {n + 1}: kết quả thực hiện nhiệm vụ trọng tâm năm 2026",
        "kind": kind,
    }
    if kind == "number":
        spec |= {"unit": "triệu đồng", "better": "lower" if n % 5 == 0 else "higher"}
    if kind in ("percent", "ratio"):
        spec["better"] = "higher"
    if kind == "choice":
        spec["options"] = OPTIONS
    return spec


def _value(kind: str, seed: int) -> tuple[str, float | None]:
    return {
        "number": (f"{150 + seed * 7 % 113}.5", 150 + seed * 7 % 113 + 0.5),
        "percent": (f"{90 + seed % 17}", 90.0 + seed % 17),
        "ratio": (f"{seed % 30}/{30 + seed % 7}", (seed % 30) / (30 + seed % 7)),
        "yesno": ("true" if seed % 3 else "false", None),
        "choice": (OPTIONS[seed % 4], None),
        "text": ("Hoàn thành tốt các nhiệm vụ trọng tâm, vượt kế hoạch đề ra.", None),
    }[kind]


def build_cluster(url: str, units: int, indicators: int) -> None:
    """Import the cluster, then give every unit a submitted revision with all its answers."""
    engine = make_engine(url)
    upgrade(engine)
    with session_scope(engine) as session:
        setup = read_setup(setup_yaml(units, indicators), known_clusters=known_clusters(session))
        apply_setup(session, setup, actor="benchmark")
        person = Person(telegram_id=1, full_name="Nguyễn Thị Bình")
        session.add(person)
        session.flush()
        unit_ids = session.exec(select(Unit.id).order_by(col(Unit.id))).all()
        kinds = session.exec(
            select(Indicator.id, Indicator.kind).order_by(col(Indicator.position))
        ).all()
        at = datetime(2026, 6, 18, 3, tzinfo=UTC)
        submissions: list[dict[str, object]] = [
            {"id": n + 1, "period_id": 1, "unit_id": unit_id, "status": "submitted"}
            | {"submitted_at": at, "submitted_by_person_id": person.id, "revision": 1}
            for n, unit_id in enumerate(unit_ids)
        ]
        session.execute(insert(Submission), submissions)
        answers: list[dict[str, object]] = []
        for n, _unit in enumerate(unit_ids):
            for indicator_id, kind in kinds:
                value, number = _value(kind, n * 31 + (indicator_id or 0))
                answers.append(
                    {"submission_id": n + 1, "indicator_id": indicator_id, "value": value}
                    | {"value_number": number, "flags": []}
                )
        session.execute(insert(Answer), answers)
    engine.dispose()


def _median_seconds(step: Callable[[], T], repeat: int) -> tuple[float, T]:
    result = step()  # warm-up: imports, font cache, first compilation of queries
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def measure_summary(units: int = 16, indicators: int = 40, repeat: int = 5) -> dict[str, float]:
    """Median seconds of each step of a cluster summary, and their total."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'summary.db'}"
        build_cluster(url, units, indicators)
        engine = make_engine(url)

        def snapshot() -> Snapshot:
            with Session(engine) as session:
                return load_snapshot(session, period_id=1)

        figures: dict[str, float] = {}
        figures["snapshot"], taken = _median_seconds(snapshot, repeat)
        figures["summary"], summary = _median_seconds(lambda: build_summary(taken), repeat)
        figures["text"], _messages = _median_seconds(
            lambda: summary_messages(summary, locale="vi"), repeat
        )
        figures["chart"], _png = _median_seconds(
            lambda: summary_chart(summary, locale="vi"), repeat
        )
        figures["workbook"], _xlsx = _median_seconds(
            lambda: summary_workbook(taken, locale="vi"), repeat
        )
        engine.dispose()
    figures["total"] = sum(figures.values())
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, default=16)
    parser.add_argument("--indicators", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    figures = measure_summary(args.units, args.indicators, args.repeat)
    size = f"{args.units} units x {args.indicators} indicators"
    print(f"cluster summary, {size} (median of {args.repeat} runs after a warm-up)")
    for step, seconds in figures.items():
        print(f"  {step:<10}{seconds * 1000:>9.1f} ms")


if __name__ == "__main__":
    main()
