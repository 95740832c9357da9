"""What a unit is asked in a period, read once and kept while nothing it depends on changed.

Every step of a submission needs the unit, the indicators of its cluster's pledge (and the
self-score questions of its scoring table), the unit's targets and last period's values. These
change only with a set-up import, or (last values) when the unit submits in another period. So
an entry is kept while:

- the set-up version (`setup_version`: the newest import change) is the same; it is read at
  most once per `VERSION_MAX_AGE` per process, so an import takes effect within a second;
- the unit's history version, read with every step's draft, is the same;
- it is younger than `MAX_AGE_SECONDS`, which covers a change made by hand in the database.

The period itself is never cached: its state and deadlines are read fresh at every step.
"""

from __future__ import annotations

import threading
import time
import weakref
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.flow.questions import is_self_score, self_score_question
from bot.storage import submissions as store
from bot.storage.lineage import inherited_last_values, predecessors
from bot.storage.models import Indicator, Period, Unit
from bot.storage.self_scores import people_criteria

__all__ = ["MAX_AGE_SECONDS", "VERSION_MAX_AGE", "Asked", "asked_of"]

MAX_AGE_SECONDS = 60.0
VERSION_MAX_AGE = 1.0
MAX_ENTRIES = 4096


@dataclass(frozen=True)
class Asked:
    """The questions one unit answers in one period, and what is shown with them.

    Shared between threads and sessions: the rows are detached and never changed.
    """

    unit: Unit
    cluster_id: int  # the cluster the unit reports in, whose pledge and scoring table apply
    indicators: tuple[Indicator, ...]  # the pledge's, then the self-score questions
    targets: dict[int, str]  # indicator id -> the unit's target
    last: dict[str, str]  # indicator code -> the unit's value in its latest earlier period
    positions: dict[int, int]  # indicator id -> its number in the questions, from 1
    # A merged or renamed unit: its predecessors' names, and the indicator codes whose last
    # value is theirs (the unit has none of its own yet).
    lineage: tuple[str, ...] = ()
    inherited: frozenset[str] = frozenset()

    @property
    def self_scored(self) -> bool:
        """Whether the unit also scores itself on some criteria (`bot/flow/questions.py`)."""
        return bool(self.indicators) and is_self_score(self.indicators[-1])


@dataclass(frozen=True)
class _Entry:
    setup: int
    history: int
    loaded_at: float
    asked: Asked


class _Cache:
    """One database's entries and its set-up version."""

    def __init__(self) -> None:
        self.entries: dict[tuple[int, int], _Entry] = {}
        self.lock = threading.Lock()
        self.setup = 0
        self.setup_read_at = float("-inf")

    def setup_version(self, session: Session, now: float) -> int:
        with self.lock:
            if now - self.setup_read_at >= VERSION_MAX_AGE:
                self.setup, self.setup_read_at = store.setup_version(session), now
            return self.setup

    def keep(self, key: tuple[int, int], entry: _Entry) -> None:
        with self.lock:
            if len(self.entries) >= MAX_ENTRIES:
                self.entries.clear()  # thousands of units in open periods at once: start over
            self.entries[key] = entry


_caches: weakref.WeakKeyDictionary[Engine, _Cache] = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def asked_of(session: Session, *, period: Period, unit_id: int, history: int) -> Asked | None:
    """The unit's questions in the period; `history` is `store.history_version` of the unit."""
    cache = _cache_of(session)
    now = time.monotonic()
    setup = cache.setup_version(session, now)
    key = (period.id or 0, unit_id)
    entry = cache.entries.get(key)
    if (
        entry is not None
        and (entry.setup, entry.history) == (setup, history)
        and now - entry.loaded_at < MAX_AGE_SECONDS
    ):
        return entry.asked
    asked = _load(session, period=period, unit_id=unit_id)
    if asked is not None:
        cache.keep(key, _Entry(setup, history, now, asked))
    return asked


def _cache_of(session: Session) -> _Cache:
    engine = session.get_bind()
    assert isinstance(engine, Engine)
    with _caches_lock:
        return _caches.setdefault(engine, _Cache())


def _load(session: Session, *, period: Period, unit_id: int) -> Asked | None:
    unit = session.get(Unit, unit_id)
    cluster = store.cluster_in_period(session, period_id=period.id or 0, unit_id=unit_id)
    if unit is None or cluster is None:
        return None
    pledged = store.indicators_for(session, cluster_id=cluster.id or 0, year=period.year)
    ids = [i.id or 0 for i in pledged]
    targets = store.targets_for(session, unit_id=unit_id, indicator_ids=ids)
    criteria = people_criteria(session, cluster_id=cluster.id or 0, year=period.year)
    indicators = [*pledged, *(self_score_question(criterion) for criterion in criteria)]
    ids += [i.id or 0 for i in indicators[len(pledged) :]]
    last = store.last_values(session, unit_id=unit_id, before=period)
    old = predecessors(session, unit)
    inherited = {
        code: value
        for code, value in inherited_last_values(
            session, old=old, indicators=pledged, before=period
        ).items()
        if code not in last  # the unit's own history, once it has one, comes first
    }
    # Detached, the rows can be read from any thread and any later session.
    for row in (unit, *pledged):
        session.expunge(row)
    return Asked(
        unit=unit,
        cluster_id=cluster.id or 0,
        indicators=tuple(indicators),
        targets=targets,
        last={**last, **inherited},
        positions={indicator_id: n for n, indicator_id in enumerate(ids, start=1)},
        lineage=tuple(u.name for u in old),
        inherited=frozenset(inherited),
    )
