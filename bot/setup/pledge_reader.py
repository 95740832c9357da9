"""The set-up reader's pledges: indicators and each unit's targets."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.domain import figures
from bot.setup.checks import Checks, to_decimal
from bot.setup.model import IndicatorSpec, PledgeSpec
from bot.setup.registration import read_registration
from bot.setup.scoring import pledge_source, read_scoring

__all__ = ["PledgeChecks"]

_PLEDGE_KEYS = {
    "cluster", "year", "indicators", "targets", "scoring", "indicators_from", "registration",
}  # fmt: skip
_INDICATOR_KEYS = {
    "code",
    "name",
    "kind",
    "unit",
    "better",
    "min",
    "max",
    "integer",
    "options",
    "required",
}
_NO_TARGET_KINDS = {"text", "file"}


class PledgeChecks(Checks):
    """A pledge's indicators and targets, checked against the clusters read before it."""

    def pledge(self, raw: Any, path: str, tz: str = "Asia/Ho_Chi_Minh") -> PledgeSpec | None:
        item = self.mapping(raw, path, _PLEDGE_KEYS)
        if item is None:
            return None
        cluster = self.text(item, "cluster", path)
        if cluster and cluster not in self.cluster_units:
            self.fail(f"{path}.cluster", self._("không có cụm «{code}».").format(code=cluster))
        year = self.year(item.get("year"), f"{path}.year")
        source = pledge_source(self, item, path, cluster, self.pledges_read)
        indicators = (
            list(source.indicators)
            if source
            else self.indicator_list(item.get("indicators"), f"{path}.indicators")
        )
        targets = self.targets(item.get("targets"), f"{path}.targets", cluster, indicators)
        scoring = source.scoring if source else read_scoring(self, item, path, indicators)
        spec = PledgeSpec(
            cluster, year or 0, tuple(indicators), targets, scoring, source.year if source else None
        )
        registration = read_registration(self, item.get("registration"), f"{path}.registration", tz)
        spec = replace(spec, registration=registration) if registration else spec
        self.pledges_read.append(spec)
        return spec

    def indicator_list(self, raw: Any, path: str) -> list[IndicatorSpec]:
        if not isinstance(raw, list) or not raw:
            self.fail(path, self._("giao ước cần ít nhất một chỉ tiêu."))
            return []
        read = [self.indicator(item, f"{path}[{index}]") for index, item in enumerate(raw)]
        self.duplicates([i.code if i else "" for i in read], path, "code")
        return [indicator for indicator in read if indicator is not None]

    def indicator(self, raw: Any, path: str) -> IndicatorSpec | None:
        _ = self._
        item = self.mapping(raw, path, _INDICATOR_KEYS)
        if item is None:
            return None
        kind = self.text(item, "kind", path)
        if kind and kind not in figures.KINDS:
            self.fail(
                f"{path}.kind",
                _("loại «{kind}» không có; dùng một trong: {kinds}.").format(
                    kind=kind, kinds=", ".join(figures.KINDS)
                ),
            )
        better = item.get("better")
        if better not in (None, "higher", "lower"):
            self.fail(f"{path}.better", _("chỉ nhận higher hoặc lower."))
        low, high = self.number(item, "min", path), self.number(item, "max", path)
        if low is not None and high is not None and low > high:
            self.fail(f"{path}.max", _("max phải lớn hơn hoặc bằng min."))
        return IndicatorSpec(
            code=self.code(item, "code", path),
            name=self.text(item, "name", path),
            kind=kind,
            unit=self.text(item, "unit", path, required=False) or None,
            better=better if better in ("higher", "lower") else None,
            min=low,
            max=high,
            integer=self.flag(item, "integer", path, False),
            options=self.options(item.get("options"), f"{path}.options", kind),
            required=self.flag(item, "required", path, True),
        )

    def options(self, raw: Any, path: str, kind: str) -> tuple[str, ...]:
        if kind != "choice":
            if raw is not None:
                self.fail(path, self._("chỉ chỉ tiêu loại choice mới có options."))
            return ()
        if not isinstance(raw, list) or not raw or any(isinstance(o, (dict, list)) for o in raw):
            self.fail(path, self._("chỉ tiêu loại choice cần một danh sách lựa chọn."))
            return ()
        options = tuple(str(option).strip() for option in raw)
        if len(set(options)) != len(options):
            self.fail(path, self._("có lựa chọn bị trùng."))
        return options

    def targets(
        self, raw: Any, path: str, cluster: str, indicators: list[IndicatorSpec]
    ) -> dict[str, dict[str, str]]:
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.fail(path, self._("cần một bảng: mã đơn vị → chỉ tiêu → giá trị."))
            return {}
        by_code = {indicator.code: indicator for indicator in indicators}
        units = self.cluster_units.get(cluster, frozenset())
        targets: dict[str, dict[str, str]] = {}
        for unit, values in raw.items():
            unit_path = f"{path}.{unit}"
            if cluster in self.cluster_units and str(unit) not in units:
                self.fail(unit_path, self.no_such_unit(str(unit)))
            if not isinstance(values, dict):
                self.fail(unit_path, self._("cần một bảng: mã chỉ tiêu → giá trị."))
                continue
            targets[str(unit)] = {
                str(code): value
                for code, raw_value in values.items()
                if (value := self.target(raw_value, f"{unit_path}.{code}", by_code.get(str(code))))
            }
        return targets

    def target(self, raw: Any, path: str, indicator: IndicatorSpec | None) -> str | None:
        _ = self._
        if indicator is None:
            self.fail(path, _("không có chỉ tiêu này."))
            return None
        if indicator.kind in _NO_TARGET_KINDS:
            self.fail(
                path, _("chỉ tiêu loại {kind} không có chỉ tiêu giao.").format(kind=indicator.kind)
            )
            return None
        if indicator.kind not in figures.KINDS:
            return None  # the unknown kind is reported at the indicator itself
        if type(raw) is int and indicator.kind in ("number", "percent"):
            return str(raw)  # what `to_canonical` gives a whole number, in a tenth of the time
        decimal = to_decimal(raw)
        if decimal is not None and indicator.kind in ("number", "percent"):
            return figures.to_canonical(decimal)
        if isinstance(raw, bool) and indicator.kind == "yesno":
            return figures.to_canonical(raw)
        spec = figures.Spec(kind=indicator.kind, options=indicator.options)
        parsed = figures.parse(str(raw), spec)
        if isinstance(parsed, figures.Parsed):
            return figures.to_canonical(parsed.value)
        self.fail(path, _("giá trị «{value}» không hợp lệ cho chỉ tiêu này.").format(value=raw))
        return None
