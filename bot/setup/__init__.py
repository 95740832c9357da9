"""The set-up file: what an admin writes to describe clusters, pledges and periods."""

from bot.setup.model import (
    ClusterSpec,
    IndicatorSpec,
    PeriodSpec,
    PledgeSpec,
    Problem,
    SetupError,
    SetupFile,
    UnitSpec,
)
from bot.setup.reader import read_setup

__all__ = [
    "ClusterSpec",
    "IndicatorSpec",
    "PeriodSpec",
    "PledgeSpec",
    "Problem",
    "SetupError",
    "SetupFile",
    "UnitSpec",
    "read_setup",
]
