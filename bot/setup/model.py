"""A validated set-up file: clusters and units, pledges, periods."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from bot.domain.scoring_table import ScoringTable
from bot.setup.conference_specs import ConferenceSpec, LeaderSpec

__all__ = [
    "ClusterSpec",
    "IndicatorSpec",
    "PeriodSpec",
    "PledgeSpec",
    "Problem",
    "RegistrationSpec",
    "SetupError",
    "SetupFile",
    "UnitSpec",
]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a set-up file, at its path (`pledges[0].targets.sa-thay`)."""

    path: str
    message: str
    at: str = ""  # where the path is in the file, as said to the admin: `dòng 30`

    def __str__(self) -> str:
        where = ", ".join(part for part in (self.at, self.path) if part)
        return f"{where}: {self.message}" if where else self.message


class SetupError(Exception):
    """A set-up file that cannot be imported, with every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    merged_from: tuple[str, ...] = ()  # the old units' codes (lineage: a later issue)
    renamed_from: str | None = None


@dataclass(frozen=True)
class ClusterSpec:
    code: str
    name: str
    units: tuple[UnitSpec, ...]
    year: int | None = None
    chair: str | None = None
    vice_chair: str | None = None
    kind: str = "cum"  # cum (Cụm thi đua) or khoi (Khối thi đua)
    language: str = "vi"  # of the cluster's group posts
    leaders: tuple[LeaderSpec, ...] = ()  # later years' chair and vice-chair
    letterhead: tuple[str, ...] = ()  # documents' header: parent body, then issuer
    place_name: str | None = None  # địa danh on documents


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str
    kind: str
    unit: str | None = None
    better: str | None = None
    min: Decimal | None = None
    max: Decimal | None = None
    integer: bool = False
    options: tuple[str, ...] = ()
    required: bool = True


@dataclass(frozen=True)
class PledgeSpec:
    cluster: str
    year: int
    indicators: tuple[IndicatorSpec, ...]
    # unit code -> indicator code -> canonical value ("620", "47/53", "true")
    targets: dict[str, dict[str, str]] = field(default_factory=dict)
    scoring: ScoringTable | None = None  # bảng chấm điểm
    indicators_from: int | None = None  # the year whose indicators and scoring table it reuses
    registration: RegistrationSpec | None = None  # the units register their own targets


@dataclass(frozen=True)
class RegistrationSpec:
    """When a pledge's units register their targets (bot/setup/registration.py)."""

    opens: datetime
    deadline: datetime
    timezone: str
    reminder_minutes: tuple[int, ...] | None = None  # None: the default reminders
    digest: str | None = None  # the group's daily board; None: the default time


@dataclass(frozen=True)
class PeriodSpec:
    code: str
    name: str
    clusters: tuple[str, ...]
    year: int
    opens: datetime
    deadline: datetime
    timezone: str
    covers: tuple[date, date] | None = None
    reminder_minutes: tuple[int, ...] = ()
    digest: str | None = None
    lock_after_minutes: int = 7 * 24 * 60
    quiet_hours: str | None = None


@dataclass(frozen=True)
class SetupFile:
    timezone: str
    clusters: tuple[ClusterSpec, ...] = ()
    pledges: tuple[PledgeSpec, ...] = ()
    periods: tuple[PeriodSpec, ...] = ()
    conferences: tuple[ConferenceSpec, ...] = ()
    warnings: tuple[Problem, ...] = ()
