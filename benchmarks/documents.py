"""The report draft of a 16-unit x 40-indicator cluster: to DOCX, to PDF, and python-docx bare.

A temporary SQLite database gets the cluster of `benchmarks/summary.py` (every unit submitted),
its summary is built once, then each is timed (median of `--repeat` runs after a warm-up):

- the report in the decree's layout (`report_docx`: header, styled tables, annex, closing);
- python-docx writing the same tables bare (the same cell texts, no styles, no layout);
- the PDF by LibreOffice, when `soffice` is installed (one fresh profile per conversion).

    python -m benchmarks.documents [--units 16] [--indicators 40] [--repeat 5]
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import docx
from docx.table import Table
from sqlmodel import Session

from benchmarks.summary import build_cluster
from bot.documents import Letterhead, report_docx, to_pdf
from bot.documents.figures_tables import TABULAR_KINDS, aggregate_text, figure_text, value_text
from bot.documents.pdf import soffice_path
from bot.reports import ClusterSummary, IndicatorSummary, build_summary, load_snapshot
from bot.reports.display import percent_text
from bot.storage import make_engine

_T = TypeVar("_T")
ANNEX_UNITS = 8


def _median(step: Callable[[], _T], repeat: int) -> tuple[float, _T]:
    result = step()  # warm-up: imports, the template, LibreOffice's first start
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def _rows(item: IndicatorSummary) -> list[list[str]]:
    """The results table's rows for one indicator, as the report writes them."""
    indicator = item.indicator
    rows = []
    for order, result in enumerate(item.results, start=1):
        target = "" if result.target is None else value_text(result.target, indicator, "vi")
        share = "" if result.of_target is None else percent_text(result.of_target, "vi")
        rows.append(
            [str(order), result.unit.name, figure_text(result, indicator, "vi"), target, share]
        )
    whole = item.aggregate.of_target
    total = aggregate_text(item.aggregate, indicator, "vi")
    rows.append(["", "Toàn cụm", total, "", "" if whole is None else percent_text(whole, "vi")])
    return rows


def _append(table: Table, texts: Sequence[str], merged: bool = False) -> None:
    cells = table.add_row().cells  # type: ignore[no-untyped-call]  # python-docx 1.2
    if merged:
        cells[0].merge(cells[-1]).text = texts[0]
        return
    for cell, text in zip(cells, texts, strict=True):
        cell.text = text


def bare_tables(cluster: ClusterSummary) -> bytes:
    """The report's tables written with python-docx's defaults: no styles, header or layout."""
    items = [item for item in cluster.indicators if item.indicator.kind in TABULAR_KINDS]
    document = docx.Document()
    table = document.add_table(rows=1, cols=5)
    for number, item in enumerate(items, start=1):
        _append(table, [f"{number}. {item.indicator.name}"], merged=True)
        for row in _rows(item):
            _append(table, row)
    units = len(cluster.indicators[0].results)
    for first in range(0, units, ANNEX_UNITS):
        count = min(ANNEX_UNITS, units - first)
        annex = document.add_table(rows=1, cols=2 + count + 1)
        for number, item in enumerate(items, start=1):
            figures = [
                figure_text(r, item.indicator, "vi") for r in item.results[first : first + count]
            ]
            total = aggregate_text(item.aggregate, item.indicator, "vi")
            _append(annex, [str(number), item.indicator.name, *figures, total])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def measure_documents(units: int, indicators: int, repeat: int) -> dict[str, float | int]:
    """Median seconds of each way of writing the report, and the sizes."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'documents.db'}"
        build_cluster(url, units, indicators)
        engine = make_engine(url)
        with Session(engine) as session:
            summary = build_summary(load_snapshot(session, period_id=1))
        engine.dispose()
    cluster = summary.clusters[0]
    head = Letterhead.for_cluster(cluster.name)

    def report() -> bytes:
        return report_docx(cluster, summary.period, letterhead=head, dated=2026)

    figures: dict[str, float | int] = {}
    figures["docx"], content = _median(report, repeat)
    figures["bare"], bare = _median(lambda: bare_tables(cluster), repeat)
    figures["docx_bytes"], figures["bare_bytes"] = len(content), len(bare)
    if soffice_path() is not None:
        figures["pdf"], pdf = _median(lambda: to_pdf(content), max(1, repeat // 2))
        figures["pdf_bytes"] = len(pdf or b"")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--units", type=int, default=16)
    parser.add_argument("--indicators", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    figures = measure_documents(args.units, args.indicators, args.repeat)
    print(
        f"report draft, {args.units} units x {args.indicators} indicators "
        f"(median of {args.repeat} runs after a warm-up)"
    )
    print(f"  docx (decree layout) {figures['docx'] * 1000:>9.1f} ms  {figures['docx_bytes']:>8} B")
    print(f"  python-docx bare     {figures['bare'] * 1000:>9.1f} ms  {figures['bare_bytes']:>8} B")
    print(f"  ratio layout / bare  {figures['docx'] / figures['bare']:>9.2f}")
    if "pdf" in figures:
        print(
            f"  pdf (LibreOffice)    {figures['pdf'] * 1000:>9.1f} ms  {figures['pdf_bytes']:>8} B"
        )
        print(f"  ratio pdf / docx     {figures['pdf'] / figures['docx']:>9.2f}")
    else:
        print("  pdf: soffice is not installed (apt-get install libreoffice-writer-nogui)")


if __name__ == "__main__":
    main()
