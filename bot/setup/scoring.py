"""A pledge's scoring table (`scoring:`) read and checked, every problem by its path in the file."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Protocol

from bot.domain.scoring import (
    BONUS,
    CHOICE,
    PENALTY,
    PEOPLE,
    PER,
    TARGET,
    YESNO,
    Criterion,
    Grade,
    Group,
    Leaf,
    ScoringTable,
)
from bot.setup.model import IndicatorSpec, PledgeSpec, Problem
from bot.setup.reading import rejoined_title

__all__ = ["Reading", "pledge_source", "read_scoring"]

_TABLE_KEYS = {"classes", "criteria"}
_GROUP_KEYS = {"code", "title", "max", "items"}
_LEAF_KEYS = {"code", "title", "indicator", "max", "points", "per", "bonus", "penalty"}
_OPTIONS = ("points", "per", "bonus", "penalty")
_COUNT_RULES = {"per": PER, "bonus": BONUS, "penalty": PENALTY}
_TARGET_KINDS = ("number", "percent", "ratio")
_UNSCORED_KINDS = ("text", "file")


class Reading(Protocol):
    """What the set-up reader lends to this one: its checks and its problem list."""

    _: Callable[[str], str]
    warnings: list[Problem]

    def fail(self, path: str, message: str) -> None: ...
    def mapping(self, raw: Any, path: str, allowed: set[str]) -> dict[str, Any] | None: ...
    def text(self, raw: dict[str, Any], key: str, path: str, *, required: bool = True) -> str: ...
    def code(self, raw: dict[str, Any], key: str, path: str) -> str: ...
    def number(self, raw: dict[str, Any], key: str, path: str) -> Decimal | None: ...


def read_scoring(
    reader: Reading, pledge: dict[str, Any], path: str, indicators: Sequence[IndicatorSpec]
) -> ScoringTable | None:
    """The pledge's `scoring:` table, or None when it has none (or it is wrong: see problems)."""
    if pledge.get("scoring") is None:
        return None
    by_code = {indicator.code: indicator for indicator in indicators}
    return _Table(reader, by_code).read(pledge["scoring"], f"{path}.scoring")


def pledge_source(
    reader: Reading,
    item: dict[str, Any],
    path: str,
    cluster: str,
    earlier: Sequence[PledgeSpec],
) -> PledgeSpec | None:
    """The earlier pledge whose indicators and scoring table `indicators_from: 2026` reuses.

    When the year names no earlier pledge of the cluster, an empty one stands in for it, so
    that the problem is reported once and not again as a pledge without indicators.
    """
    _ = reader._
    year = item.get("indicators_from")
    if year is None:
        return None
    where = f"{path}.indicators_from"
    if "indicators" in item or "scoring" in item:
        reader.fail(where, _("dùng indicators_from hoặc indicators và scoring, không dùng cả hai."))
        return PledgeSpec(cluster, 0, ())
    source = next((p for p in earlier if (p.cluster, p.year) == (cluster, year)), None)
    if source is None:
        message = _("không có giao ước năm {year} của cụm «{cluster}» ở phía trước trong tệp.")
        reader.fail(where, message.format(year=year, cluster=cluster))
        return PledgeSpec(cluster, 0, ())
    return source


class _Table:
    """Walks one `scoring:` tree; leaf keys (a code, or the indicator's code) must be unique."""

    def __init__(self, reader: Reading, indicators: Mapping[str, IndicatorSpec]) -> None:
        self.reader = reader
        self._ = reader._
        self.indicators = indicators
        self.seen: set[str] = set()

    def read(self, raw: Any, path: str) -> ScoringTable | None:
        item = self.reader.mapping(raw, path, _TABLE_KEYS)
        if item is None:
            return None
        criteria = self.criteria(item.get("criteria"), f"{path}.criteria")
        classes = self.classes(item.get("classes"), f"{path}.classes")
        return ScoringTable(tuple(criteria or ()), classes)

    def criteria(self, raw: Any, path: str) -> list[Criterion] | None:
        """The criteria of a list, or None when one of them is wrong."""
        if not isinstance(raw, list) or not raw:
            self.reader.fail(path, self._("cần một danh sách tiêu chí, ít nhất một."))
            return None
        read = [self.criterion(item, f"{path}[{index}]") for index, item in enumerate(raw)]
        found = [criterion for criterion in read if criterion is not None]
        return found if len(found) == len(read) else None

    def criterion(self, raw: Any, path: str) -> Criterion | None:
        if isinstance(raw, dict) and "items" in raw:
            return self.group(rejoined_title(self.reader, raw, path, _GROUP_KEYS), path)
        return self.leaf(rejoined_title(self.reader, raw, path, _LEAF_KEYS), path)

    def unique(self, key: str, path: str) -> None:
        if key in self.seen:
            self.reader.fail(path, self._("«{code}» bị trùng.").format(code=key))
        self.seen.add(key)

    # -- groups ------------------------------------------------------------------------------

    def group(self, raw: dict[str, Any], path: str) -> Group | None:
        self.reader.mapping(raw, path, _GROUP_KEYS)
        code = self.reader.code(raw, "code", path)
        self.unique(code, f"{path}.code")
        title = self.reader.text(raw, "title", path)
        maximum = self.points(raw, "max", path, required=False)
        items = self.criteria(raw["items"], f"{path}.items")
        if items is None:
            return None
        base = sum((_base(item) for item in items), Decimal(0))
        if maximum is None and "max" not in raw and base:
            message = self._("thiếu điểm tối đa của nhóm (tổng điểm tối đa các mục là {sum}).")
            self.reader.fail(f"{path}.max", message.format(sum=_shown(base)))
        elif maximum is not None and maximum != base:
            message = self._(
                "điểm tối đa {max} khác tổng điểm tối đa các mục ({sum}), "
                "không kể điểm thưởng và điểm trừ."
            )
            self.reader.fail(f"{path}.max", message.format(max=_shown(maximum), sum=_shown(base)))
        return Group(code, title, maximum, tuple(items))

    # -- leaves ------------------------------------------------------------------------------

    def leaf(self, raw: Any, path: str) -> Leaf | None:
        item = self.reader.mapping(raw, path, _LEAF_KEYS)
        if item is None:
            return None
        maximum = self.points(item, "max", path, required=True)
        options = [key for key in _OPTIONS if key in item]
        if len(options) > 1:
            self.reader.fail(path, self._("chỉ dùng một trong points, per, bonus, penalty."))
            return None
        option = options[0] if options else None
        if "indicator" in item:
            return self.indicator_leaf(item, path, maximum, option)
        return self.people_leaf(item, path, maximum, option)

    def people_leaf(
        self, item: dict[str, Any], path: str, maximum: Decimal | None, option: str | None
    ) -> Leaf | None:
        code = self.reader.code(item, "code", path)
        title = self.reader.text(item, "title", path)
        self.unique(code, f"{path}.code")
        if option is not None:
            message = self._("tiêu chí do người chấm (không có indicator) không dùng {key}.")
            self.reader.fail(f"{path}.{option}", message.format(key=option))
            return None
        if not (code and title and maximum):
            return None
        return Leaf(code, title, maximum, PEOPLE)

    def indicator_leaf(
        self, item: dict[str, Any], path: str, maximum: Decimal | None, option: str | None
    ) -> Leaf | None:
        code = self.reader.text(item, "indicator", path)
        indicator = self.indicators.get(code)
        if indicator is None:
            if code:
                message = self._("không có chỉ tiêu «{code}» trong giao ước.")
                self.reader.fail(f"{path}.indicator", message.format(code=code))
            return None
        key = self.reader.code(item, "code", path) if "code" in item else indicator.code
        self.unique(key, f"{path}.code" if "code" in item else f"{path}.indicator")
        title = self.reader.text(item, "title", path, required=False) or indicator.name
        if maximum is None:
            return None
        rule = self.rule(item, path, indicator, option, maximum)
        if rule is None:
            return None
        kind, points, rate = rule
        lower = indicator.better == "lower"
        return Leaf(key, title, maximum, kind, indicator.code, lower, points, rate)

    def rule(
        self,
        item: dict[str, Any],
        path: str,
        indicator: IndicatorSpec,
        option: str | None,
        maximum: Decimal,
    ) -> tuple[str, dict[str, Decimal], Decimal | None] | None:
        """(rule, points, rate) when the option suits the indicator's kind."""
        _ = self._
        if option == "points":
            points = self.option_points(item.get("points"), f"{path}.points", indicator, maximum)
            return None if points is None else (CHOICE, points, None)
        if option is not None:
            rate = self.rate(item, option, path, indicator)
            return None if rate is None else (_COUNT_RULES[option], {}, rate)
        if indicator.kind == "choice":
            self.reader.fail(path, _("chỉ tiêu loại choice cần points: điểm của từng lựa chọn."))
        elif indicator.kind in _UNSCORED_KINDS:
            message = _("chỉ tiêu loại {kind} không chấm điểm được.")
            self.reader.fail(f"{path}.indicator", message.format(kind=indicator.kind))
        elif indicator.kind in _TARGET_KINDS:
            return TARGET, {}, None
        elif indicator.kind == "yesno":
            return YESNO, {}, None
        return None  # an unknown kind is reported at the indicator itself

    def option_points(
        self, raw: Any, path: str, indicator: IndicatorSpec, maximum: Decimal
    ) -> dict[str, Decimal] | None:
        _ = self._
        if indicator.kind != "choice":
            self.reader.fail(path, _("points chỉ dùng cho chỉ tiêu loại choice."))
            return None
        if not isinstance(raw, dict) or not raw:
            self.reader.fail(path, _("cần một bảng: lựa chọn → điểm."))
            return None
        points: dict[str, Decimal] = {}
        for option in raw:
            where = f"{path}.{option}"
            if str(option) not in indicator.options:
                self.reader.fail(where, _("không có lựa chọn «{option}».").format(option=option))
            value = self.reader.number(raw, option, path)
            if value is not None and not 0 <= value <= maximum:
                message = _("điểm phải từ 0 đến {max}.")
                self.reader.fail(where, message.format(max=_shown(maximum)))
            points[str(option)] = value or Decimal(0)
        return points

    def rate(
        self, item: dict[str, Any], option: str, path: str, indicator: IndicatorSpec
    ) -> Decimal | None:
        if indicator.kind != "number" or not indicator.integer:
            message = self._(
                "{key} chỉ dùng cho chỉ tiêu đếm số lần (kind: number, integer: true)."
            )
            self.reader.fail(f"{path}.{option}", message.format(key=option))
            return None
        return self.points(item, option, path, required=True)

    def points(
        self, item: dict[str, Any], key: str, path: str, *, required: bool
    ) -> Decimal | None:
        """A number of points above 0."""
        if item.get(key) is None:
            if required:
                self.reader.fail(f"{path}.{key}", self._("thiếu giá trị."))
            return None
        value = self.reader.number(item, key, path)
        if value is not None and value <= 0:
            self.reader.fail(f"{path}.{key}", self._("cần một số lớn hơn 0."))
            return None
        return value

    # -- classes -----------------------------------------------------------------------------

    def classes(self, raw: Any, path: str) -> tuple[Grade, ...]:
        """`{Xuất sắc: 90, Tốt: 80}`: each class's lowest total, highest first."""
        if raw is None:
            return ()
        if not isinstance(raw, dict):
            self.reader.fail(path, self._("cần một bảng: tên xếp loại → tổng điểm tối thiểu."))
            return ()
        grades = []
        for name in raw:
            value = self.reader.number(raw, name, path)
            if value is not None and value < 0:
                self.reader.fail(f"{path}.{name}", self._("cần một số từ 0 trở lên."))
            elif value is not None:
                grades.append(Grade(str(name).strip(), value))
        return tuple(sorted(grades, key=lambda grade: grade.threshold, reverse=True))


def _base(criterion: Criterion) -> Decimal:
    """What a criterion adds to its group's maximum: bonuses and penalties add nothing."""
    if isinstance(criterion, Leaf):
        return criterion.max if criterion.in_base else Decimal(0)
    if criterion.max is not None:
        return criterion.max
    return sum((_base(item) for item in criterion.items), Decimal(0))


def _shown(value: Decimal) -> str:
    """A number of points as the file writes it: `50`, `12.5`."""
    return format(value.normalize(), "f")
