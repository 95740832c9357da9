"""A whole country: the national set-up imported, every group bound, the tick at each moment.

The national set-up is 330 clusters of 10 units (3,300 communes and wards), 30 indicators
per pledge with 15 targeted per unit (49,500 targets), one period; the province-sized one is
20 clusters of 8. Each import runs in a child process of its own, on a fresh database:

- `import`: `read_setup` and `apply_setup` in one transaction, as `thidua import` does;
- `re-import`: the same file again, which changes nothing;
- `core`: a floor: a bare SQLAlchemy Core bulk insert of the import's domain rows (clusters,
  units, members, leadership, pledges, indicators, targets, period), no diff, no audit;
- `core+audit`: the floor of the same rows: the same insert and the audit row the import
  writes beside each of them (67,321 on the national set-up), into the same table with the
  same keys and `after` values (`benchmarks/national_rows.py`).

Both baselines' clocks start once libyaml has read the file; that reading is shown beside
them, and the import is compared with each baseline alone and with each plus the reading
(the import reads and checks the file itself).

Time is the wall clock inside the child; peak memory its `ru_maxrss` (imports included).
Then every cluster's group is bound and each unit gets two focal points, and one tick
(`Planner.plan`) runs at each due moment: the opening, a reminder offset, the board's hour
and the deadline; its time and the messages it queued (a second tick at the same moment
must queue nothing). Aims (issue 19): import under 15 s and 200 MB, within 3x of a
bare Core insert of the same rows; re-import under 5 s; each tick under 2 s.

    python -m benchmarks.national [--clusters 330] [--size 10] [--databases sqlite,postgresql]
        [--ticks-only]  # the ticks alone, on a database filled by the bare Core insert
        [--no-ticks] [--at-limits]  # the import alone; and a file as large as the limits allow
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from sqlalchemy import insert, text

from benchmarks.national_rows import core_insert

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = os.environ.get(
    "THIDUA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
INDICATORS = 30
TARGETED = 15
OPENS = datetime(2026, 6, 1, 8, 0, tzinfo=TZ)
DEADLINE = datetime(2026, 6, 20, 17, 0, tzinfo=TZ)
NOW = datetime(2026, 5, 1, tzinfo=TZ)


def national_setup(clusters: int, size: int, targeted: int = TARGETED) -> dict[str, Any]:
    """The set-up tree: `clusters` clusters of `size` units, one pledge each, one period;
    each unit has a target for `targeted` of the pledge's indicators."""
    tree: dict[str, Any] = {"timezone": "Asia/Ho_Chi_Minh", "clusters": [], "pledges": []}
    indicators = [
        {"code": f"ct-{n:02d}", "name": f"Chỉ tiêu số {n}", "kind": "number", "better": "higher"}
        for n in range(INDICATORS)
    ]
    for c in range(clusters):
        units = [f"u{c:03d}-{n:02d}" for n in range(size)]
        tree["clusters"].append(
            {
                "code": f"cum-{c:03d}",
                "name": f"Cụm thi đua số {c}",
                "year": 2026,
                "chair": units[0],
                "units": [{"code": u, "name": f"Xã {u}"} for u in units],
            }
        )
        targets = {u: {f"ct-{n:02d}": 100 + n for n in range(targeted)} for u in units}
        tree["pledges"].append(
            {"cluster": f"cum-{c:03d}", "year": 2026, "indicators": indicators, "targets": targets}
        )
    tree["periods"] = [
        {
            "code": "2026-h1",
            "name": "Sơ kết 6 tháng đầu năm 2026",
            "clusters": [cluster["code"] for cluster in tree["clusters"]],
            "year": 2026,
            "opens": OPENS.strftime("%Y-%m-%d %H:%M"),
            "deadline": DEADLINE.strftime("%Y-%m-%d %H:%M"),
            "reminders": ["3d"],
            "digest": "08:00",
        }
    ]
    return tree


@contextmanager
def fresh_database(kind: str, folder: Path) -> Iterator[str]:
    """An empty database URL: an SQLite file, or a PostgreSQL schema of its own."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / f'{uuid.uuid4().hex}.db'}"
        return
    from bot.storage import make_engine

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = make_engine(POSTGRES)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{POSTGRES}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def child(mode: str, url: str, file: str) -> dict[str, Any]:
    """Run one measurement in this process and return its figures."""
    from bot.storage import make_engine, upgrade

    engine = make_engine(url)
    upgrade(engine)
    if mode == "ticks":
        core_insert(engine, yaml.safe_load(Path(file).read_text(encoding="utf-8")))
        return {"ticks": ticks(engine)}
    started = time.perf_counter()
    # A baseline's clock starts once the tree is read (by libyaml, the fastest reader), and
    # the reading is shown beside it.
    baseline = mode.startswith("core")
    tree = yaml.load(Path(file).read_bytes(), Loader=yaml.CSafeLoader) if baseline else None
    reading, started = time.perf_counter() - started, time.perf_counter()
    if tree is not None:
        core_insert(engine, tree, audit=mode == "core+audit")
        changes = 0
    else:
        changes = import_file(engine, Path(file))
        if mode == "re-import":
            started = time.perf_counter()
            changes = import_file(engine, Path(file))
    seconds = time.perf_counter() - started
    figures: dict[str, Any] = {"seconds": seconds, "changes": changes, "reading": reading}
    # The import's own peak, before the ticks (which run in the same process) add theirs.
    figures["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if mode == "import" and os.environ.get("NATIONAL_TICKS", "1") == "1":
        figures["ticks"] = ticks(engine)
    return figures


def import_file(engine: Any, file: Path) -> int:
    from bot.setup import read_setup
    from bot.storage import session_scope
    from bot.storage.setup_import import apply_setup, known_clusters

    with session_scope(engine) as session:
        setup = read_setup(file.read_bytes(), locale="vi", known_clusters=known_clusters(session))
        return len(apply_setup(session, setup, actor="bench:import"))


def bind_everyone(engine: Any) -> int:
    """A bound group per cluster and two focal points per unit; the number of people."""
    from sqlmodel import select

    from bot.storage import session_scope
    from bot.storage.models import Cluster, GroupChat, Membership, Person, Unit

    with session_scope(engine) as session:
        clusters = [n for n in session.exec(select(Cluster.id)).all() if n is not None]
        units = session.exec(select(Unit.id)).all()
        groups = [
            {"chat_id": -(10**12) - n, "title": f"Nhóm {n}", "cluster_id": n, "bound_at": NOW}
            for n in clusters
        ]
        session.execute(insert(GroupChat), groups)
        people = [
            {"telegram_id": 10**9 + n, "full_name": f"Cán bộ {n}", "language": "vi"}
            for n in range(2 * len(units))
        ]
        session.execute(insert(Person), people)
        ids = dict(session.exec(select(Person.telegram_id, Person.id)).all())
        members = [
            {"person_id": ids[10**9 + n], "unit_id": units[n // 2], "role": "focal"}
            for n in range(2 * len(units))
        ]
        session.execute(insert(Membership), members)
        return len(people)


def ticks(engine: Any) -> dict[str, Any]:
    """Ticks at each due moment until one queues nothing (work past a tick's budget for
    summaries and digests waits for the next), each timed with its SQL statements."""
    from sqlalchemy import event

    from bot.storage import session_scope
    from scheduler.plan import Planner

    statements = [0]
    event.listen(
        engine, "before_cursor_execute", lambda *_: statements.__setitem__(0, statements[0] + 1)
    )

    people = bind_everyone(engine)
    moments = {
        "opening": OPENS + timedelta(minutes=1),
        "reminder 3d": DEADLINE - timedelta(days=3) + timedelta(minutes=1),
        "board 08:00": datetime(2026, 6, 18, 8, 1, tzinfo=TZ),
        "deadline": DEADLINE + timedelta(minutes=1),
    }
    figures: dict[str, Any] = {"people": people}
    for name, moment in moments.items():
        planner = Planner(now=moment, locale="vi", quiet=None)
        runs: list[tuple[float, int, int, float]] = []
        while len(runs) < 2 or (runs[-1][1] and len(runs) < 20):
            started, cpu, statements[0] = time.perf_counter(), time.process_time(), 0
            with session_scope(engine) as session:
                queued = planner.plan(session)
            seconds = time.perf_counter() - started
            runs.append((seconds, queued, statements[0], time.process_time() - cpu))
        figures[name] = runs
    return figures


def measure(mode: str, url: str, file: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.national", "--child", mode, url, str(file)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if done.returncode != 0:
        sys.exit(f"{mode} failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def report(size_name: str, database: str, figures: dict[str, dict[str, Any]]) -> None:
    full = figures["import"]
    print(f"\n{size_name} on {database}")
    for name, row in figures.items():
        seconds, peak = row["seconds"], row["peak_mb"]
        line = f"  {name:10s} {seconds:7.2f} s {peak:6.0f} MB {row['changes']} changes"
        if name.startswith("core"):
            line += f" (+ {row['reading']:.2f} s of libyaml reading the file)"
        print(line)
    for name in ("core", "core+audit"):  # the import's time over each baseline's
        alone, reading = figures[name]["seconds"], figures[name]["reading"]
        print(
            f"  import / {name} = {full['seconds'] / alone:.2f}x; "
            f"import / ({name} + reading) = {full['seconds'] / (alone + reading):.2f}x"
        )
    if "ticks" not in full:
        return
    report_ticks(full["ticks"])


def report_ticks(ticks: dict[str, Any]) -> None:
    """Each moment's first tick, the second at the same moment, and any more it took."""
    print(f"  ticks ({ticks.pop('people')} focal points, a group per cluster):")
    for moment, runs in ticks.items():
        (first, queued, sql, cpu), (second, more, sql_again, _) = runs[:2]
        line = f"    {moment:12s} {first:6.2f} s ({cpu:.2f} s CPU) {queued:6d} queued {sql:5d} SQL"
        line += f"; again {second:5.2f} s {more} queued {sql_again} SQL"
        if len(runs) > 2:  # deferred summaries or digests: ticks until one queues nothing
            rest = runs[2:]
            line += f"; {len(rest)} more ({max(r[0] for r in rest):.2f} s at most)"
            line += f" queued {sum(r[1] for r in rest)}"
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clusters", type=int, default=330)
    parser.add_argument("--size", type=int, default=10)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--ticks-only", action="store_true", help="no import measurements")
    parser.add_argument("--child", nargs=3, metavar=("MODE", "URL", "FILE"))
    parser.add_argument("--no-ticks", action="store_true", help="measure the import only")
    parser.add_argument("--at-limits", action="store_true", help="and the largest file accepted")
    args = parser.parse_args()
    if args.no_ticks:
        os.environ["NATIONAL_TICKS"] = "0"  # read by the children
    if args.child:
        print(json.dumps(child(*args.child)))
        return
    if args.ticks_only:
        ticks_only(args.clusters, args.size, args.databases.split(","))
        return
    with tempfile.TemporaryDirectory() as folder:
        sizes = [
            ("province (20 x 8)", 20, 8, TARGETED),
            ("national", args.clusters, args.size, TARGETED),
        ]
        if args.at_limits:  # the most targets a file within the limits holds: 298,000 values
            sizes.append(("at the limits (310 x 10, 30 targets a unit)", 310, 10, INDICATORS))
        for size_name, clusters, size, targeted in sizes:
            file = Path(folder) / f"{clusters}x{size}x{targeted}.yaml"
            tree = national_setup(clusters, size, targeted)
            file.write_text(yaml.safe_dump(tree, allow_unicode=True), encoding="utf-8")
            print(f"{size_name}: {file.stat().st_size / 1e6:.1f} MB of YAML")
            for database in args.databases.split(","):
                figures = {}
                for mode in ("import", "re-import", "core", "core+audit"):
                    with fresh_database(database, Path(folder)) as url:
                        figures[mode] = measure(mode, url, file)
                report(size_name, database, figures)


def ticks_only(clusters: int, size: int, databases: list[str]) -> None:
    """The ticks of both set-ups, each on a database filled by the bare Core insert."""
    with tempfile.TemporaryDirectory() as folder:
        for size_name, count, units in (("province (20 x 8)", 20, 8), ("national", clusters, size)):
            file = Path(folder) / f"{count}x{units}.yaml"
            file.write_text(yaml.safe_dump(national_setup(count, units)), encoding="utf-8")
            for database in databases:
                with fresh_database(database, Path(folder)) as url:
                    print(f"\n{size_name} on {database}")
                    report_ticks(measure("ticks", url, file)["ticks"])


if __name__ == "__main__":
    main()
