"""How big a set-up file may be: one set of limits for `thidua import` and the chat alike.

Both read a file through `read_setup` (YAML) and `workbook_to_yaml` (the Excel template), which
check these limits before the work they bound, so a refused file costs a fraction of a second
and nothing is written. The numbers leave room for a whole province in one file (3,321 units,
30 indicators, a target for each: 2 MB of YAML, or a 1.7 MB workbook of 24 MB of XML, at about
13 times compression) and for the whole country's communes and wards (330 clusters pledging
40 indicators each: 13,200 indicators; benchmarks/national.py), and stop a file built to
exhaust the process well before it does:

| limit            | value      | what it stops                                             |
| ---------------- | ---------- | --------------------------------------------------------- |
| file_bytes       | 4 MiB      | a 50 MB file of a million units (read whole, then parsed) |
| yaml_depth       | 32         | 10,000 nested `[` (the set-up nests 6 levels deep)        |
| yaml_nodes       | 300,000    | values counted with every alias expanded ("billion laughs");|
|                  |            | also what bounds the import's memory: 1 KB or so a target  |
| units            | 10,000     | units over all clusters                                   |
| indicators       | 20,000     | indicators over all pledges (each cluster pledges its own)|
| periods          | 1,000      | reporting periods                                         |
| xlsx_bytes       | 32 MiB     | the workbook's parts uncompressed, as the zip declares    |
| xlsx_ratio       | 100        | one part compressed more than this (a zip bomb: 470)      |
| xlsx_rows        | 150,000    | rows read over all sheets                                 |
| xlsx_cells       | 1,000,000  | cells read over all sheets                                |
| xlsx_seconds     | 30         | the time spent reading the sheets' rows                   |
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SETUP_LIMITS", "SetupLimits"]

_MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class SetupLimits:
    """The bounds a set-up file is checked against before it is parsed further."""

    file_bytes: int = 4 * _MIB
    yaml_depth: int = 32
    # 300,000 values: at most 170 MB imported, 110,000 targets (benchmarks/national.py).
    yaml_nodes: int = 300_000
    units: int = 10_000
    indicators: int = 20_000
    periods: int = 1_000
    xlsx_bytes: int = 32 * _MIB
    xlsx_ratio: int = 100
    xlsx_rows: int = 150_000
    xlsx_cells: int = 1_000_000
    xlsx_seconds: float = 30.0


SETUP_LIMITS = SetupLimits()
