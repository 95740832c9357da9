"""The period export at a province's scale, against openpyxl writing the same cells bare.

One province today: 3,321 units (communes, wards, special zones) in clusters of 12, each
cluster pledging 30 indicators, every unit submitted (one in ten twice). The data goes into a
temporary SQLite file with bulk inserts; then, each in its own child process:

- `thidua`: `export_rows` (the snapshot queries) and `write_xlsx` to a file, as `thidua export`;
- `bare`: openpyxl's write-only mode writing the same values (from a pickle read beforehand),
  no styles, no database: the floor any xlsx export stands on;
- `csv`: `export_rows` and `write_csv`, for comparison.

Time is the wall clock of the export inside the child, the best of `--rounds` alternating
runs (the machine may be shared); peak memory is the child's
`resource.getrusage(RUSAGE_SELF).ru_maxrss`, so it includes the interpreter and its imports
(the `imports` line shows that floor). Aim: xlsx within 1.5x of bare, under 400 MB.

    python benchmarks/export.py [--units 3321] [--indicators 30] [--cluster-size 12] [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from bot.storage import make_engine, upgrade
from bot.storage.models import (
    Answer,
    Cluster,
    ClusterUnit,
    Indicator,
    Period,
    PeriodCluster,
    Person,
    Pledge,
    Submission,
    Target,
    Unit,
)

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2026
# Kinds of a typical pledge, repeated to the number of indicators asked for.
KINDS = ("number",) * 6 + ("percent", "number", "ratio", "number", "yesno", "number", "choice")
OPTIONS = ["Tốt", "Khá", "Trung bình", "Yếu"]
RESUBMIT_EVERY = 10  # one unit in ten submitted twice: the export must take the second


def build_province(url: str, units: int, indicators: int, cluster_size: int) -> None:
    """Fill an empty database with one province's set-up and submissions, in bulk."""
    engine = make_engine(url)
    upgrade(engine)
    clusters = (units + cluster_size - 1) // cluster_size
    kinds = [KINDS[i % len(KINDS)] for i in range(indicators)]
    deadline = datetime(2026, 6, 20, 10, tzinfo=UTC)
    rows: dict[Any, list[dict[str, Any]]] = {
        Period: [
            {
                "id": 1,
                "code": "2026-h1",
                "name": "Sơ kết 6 tháng đầu năm 2026",
                "year": YEAR,
                "opens_at": deadline - timedelta(days=19),
                "deadline_at": deadline,
                "timezone": "Asia/Ho_Chi_Minh",
            }
        ],
        Person: [{"id": 1, "telegram_id": 1, "full_name": "Nguyễn Văn An"}],
        Cluster: [],
        PeriodCluster: [],
        Pledge: [],
        Unit: [],
        ClusterUnit: [],
        Indicator: [],
        Target: [],
        Submission: [],
        Answer: [],
    }
    for c in range(1, clusters + 1):
        rows[Cluster].append({"id": c, "code": f"cum-{c:03}", "name": f"Cụm thi đua số {c}"})
        rows[PeriodCluster].append({"period_id": 1, "cluster_id": c})
        rows[Pledge].append({"id": c, "cluster_id": c, "year": YEAR})
        for i, kind in enumerate(kinds):
            rows[Indicator].append(_indicator(c, i, kind, indicators))
    submission_id = 0
    for u in range(1, units + 1):
        c = (u - 1) // cluster_size + 1
        rows[Unit].append({"id": u, "code": f"xa-{u:05}", "name": f"Xã Phước Thành {u}"})
        rows[ClusterUnit].append({"cluster_id": c, "unit_id": u, "position": u})
        for revision in (1, 2) if u % RESUBMIT_EVERY == 0 else (1,):
            submission_id += 1
            rows[Submission].append(_submission(submission_id, u, revision, deadline))
            for i, kind in enumerate(kinds):
                indicator_id = (c - 1) * indicators + i + 1
                rows[Answer].append(_answer(submission_id, indicator_id, kind, u + revision))
        for i, kind in enumerate(kinds):
            if kind in ("number", "percent"):
                indicator_id = (c - 1) * indicators + i + 1
                target = "100" if kind == "percent" else str(50 + u % 400)
                rows[Target].append({"indicator_id": indicator_id, "unit_id": u, "value": target})
    with engine.begin() as connection:
        for model, values in rows.items():
            for start in range(0, len(values), 20_000):
                connection.execute(insert(model), values[start : start + 20_000])
    engine.dispose()


def _indicator(cluster: int, index: int, kind: str, per_pledge: int) -> dict[str, Any]:
    return {
        "id": (cluster - 1) * per_pledge + index + 1,
        "pledge_id": cluster,
        "position": index,
        "code": f"ct-{index + 1:02}",
        "name": f"Chỉ tiêu số {index + 1}: kết quả thực hiện nhiệm vụ trọng tâm",
        "kind": kind,
        "unit_label": "triệu đồng" if kind == "number" else None,
        "better": "higher" if kind in ("number", "percent", "ratio") else None,
        "options": OPTIONS if kind == "choice" else [],
    }


def _submission(submission_id: int, unit: int, revision: int, deadline: datetime) -> dict[str, Any]:
    return {
        "id": submission_id,
        "period_id": 1,
        "unit_id": unit,
        "revision": revision,
        "status": "submitted",
        "submitted_by_person_id": 1,
        "submitted_at": deadline - timedelta(hours=unit % 200 - revision),
        "late": unit % 17 == 0,
    }


def _answer(submission_id: int, indicator_id: int, kind: str, seed: int) -> dict[str, Any]:
    value, number = {
        "number": (f"{seed % 997}.{seed % 10}", seed % 997 + (seed % 10) / 10),
        "percent": (f"{90 + seed % 20}.5", 90 + seed % 20 + 0.5),
        "ratio": (f"{seed % 40}/{40 + seed % 13}", (seed % 40) / (40 + seed % 13)),
        "yesno": ("true" if seed % 3 else "false", None),
        "choice": (OPTIONS[seed % 4], None),
    }[kind]
    return {
        "submission_id": submission_id,
        "indicator_id": indicator_id,
        "value": value,
        "value_number": number,
        "flags": [],
    }


# -- the children ----------------------------------------------------------------------------


def child(task: str, url: str, out: Path, cells: Path) -> dict[str, float]:
    """Run one task in this process; return its time and this process's peak memory."""
    from sqlmodel import Session

    from bot.reports import export_rows, write_csv, write_xlsx

    started = time.perf_counter()
    if task in ("thidua", "csv"):
        engine = make_engine(url)
        with Session(engine) as session:
            rows = export_rows(session, period_id=1)
        with out.open("wb") as handle:
            if task == "csv":
                write_csv(rows, handle)
            else:
                write_xlsx(rows, handle, locale="vi")
        engine.dispose()
    elif task == "bare":
        values = pickle.loads(cells.read_bytes())
        started = time.perf_counter()  # reading the pickle is not part of the write
        _write_bare(values, out)
    elif task == "cells":
        _dump_cells(url, cells)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {"seconds": seconds, "peak_mb": peak}


def _write_bare(values: list[list[Any]], out: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Số liệu")
    for row in values:
        sheet.append(row)
    workbook.save(out)


def _dump_cells(url: str, cells: Path) -> None:
    """The values our xlsx holds, as plain Python values, for the bare writer."""
    from sqlmodel import Session

    from bot.reports import export_rows

    engine = make_engine(url)
    with Session(engine) as session:
        rows = list(export_rows(session, period_id=1))
    engine.dispose()
    numeric = ("number", "percent")
    values = [
        [
            row.period,
            row.cluster,
            row.unit_code,
            row.unit_name,
            row.indicator_code,
            row.indicator_name,
            float(row.value) if row.kind in numeric and row.value else row.value or None,
            row.display_value or None,
            row.revision,
            row.submitted_at.replace(tzinfo=None) if row.submitted_at else None,
            "Có" if row.late else "Không",
        ]
        for row in rows
    ]
    cells.write_bytes(pickle.dumps(values))


def run_child(task: str, url: str, out: Path, cells: Path) -> dict[str, float]:
    arguments = ["--child", task, "--url", url, "--out", str(out), "--cells", str(cells)]
    process = subprocess.run(
        [sys.executable, __file__, *arguments],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    result: dict[str, float] = json.loads(process.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, default=3321)
    parser.add_argument("--indicators", type=int, default=30)
    parser.add_argument("--cluster-size", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=2, help="best time of this many runs")
    parser.add_argument("--child", choices=("thidua", "bare", "csv", "cells", "imports"))
    parser.add_argument("--url")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--cells", type=Path)
    args = parser.parse_args()
    if args.child:
        if args.child == "imports":
            import bot.reports  # noqa: F401  (what every child loads before it works)

            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(json.dumps({"seconds": 0.0, "peak_mb": peak}))
            return
        print(json.dumps(child(args.child, args.url, args.out, args.cells)))
        return
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        url = f"sqlite:///{base / 'province.db'}"
        started = time.perf_counter()
        build_province(url, args.units, args.indicators, args.cluster_size)
        built = time.perf_counter() - started
        cells = base / "cells.pickle"
        run_child("cells", url, base / "unused", cells)
        print(
            f"province: {args.units:,} units x {args.indicators} indicators in clusters of "
            f"{args.cluster_size}, built in {built:.1f} s (SQLite, bulk inserts)"
        )
        tasks = {"imports": "x", "bare": "xlsx", "thidua": "xlsx", "csv": "csv"}
        results: dict[str, dict[str, float]] = {}
        for _round in range(args.rounds):  # alternating, so that a busy moment hits both
            for task, suffix in tasks.items():
                result = run_child(task, url, base / f"{task}.{suffix}", cells)
                best = results.setdefault(task, result)
                best["seconds"] = min(best["seconds"], result["seconds"])
                best["peak_mb"] = max(best["peak_mb"], result["peak_mb"])
        size = (base / "thidua.xlsx").stat().st_size / 1e6
        rows = len(pickle.loads(cells.read_bytes()))
    print(f"rows exported: {rows:,} (11 columns); thidua xlsx file: {size:.1f} MB")
    print(f"{'task (best of ' + str(args.rounds) + ' runs)':<34}{'seconds':>10}{'peak MB':>10}")
    labels = {
        "imports": "imports only (floor of every child)",
        "bare": "openpyxl write-only, bare cells",
        "thidua": "thidua export xlsx (queries+write)",
        "csv": "thidua export csv (queries+write)",
    }
    for task, result in results.items():
        print(f"{labels[task]:<34}{result['seconds']:>10.2f}{result['peak_mb']:>10.0f}")
    ratio = results["thidua"]["seconds"] / results["bare"]["seconds"]
    print(f"ratio thidua xlsx / bare openpyxl: {ratio:.2f}x (aim <= 1.5x)")
    print(f"peak memory thidua xlsx: {results['thidua']['peak_mb']:.0f} MB (aim < 400 MB)")


if __name__ == "__main__":
    main()
