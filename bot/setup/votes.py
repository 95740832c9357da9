"""A conference's `votes:`: elections among units and approvals, every problem by its path."""

from __future__ import annotations

from typing import Any

from bot.domain.tally import MORE_THAN_HALF, Base, Threshold, parse_threshold
from bot.setup.conference_specs import VoteSpec
from bot.setup.reading import SetupReading, each_item, whole_number

__all__ = ["read_votes"]

_VOTE_KEYS = {
    "code",
    "title",
    "approval",
    "secret",
    "seats",
    "candidates",
    "threshold",
    "base",
    "quorum",
    "elects",
    "year",
}
_ELECTS = ("chair", "vice_chair")
_MAX_SEATS = 100


def read_votes(
    reader: SetupReading, raw: Any, path: str, units: frozenset[str]
) -> tuple[VoteSpec, ...]:
    """The votes at `path`; `units` are the cluster's (empty when it is unknown)."""
    votes = each_item(reader, raw, path, _Vote(reader, units).read)
    reader.duplicates([vote.code for vote in votes], path, "code")
    return tuple(votes)


class _Vote:
    def __init__(self, reader: SetupReading, units: frozenset[str]) -> None:
        self.reader = reader
        self._ = reader._
        self.units = units

    def read(self, raw: Any, path: str) -> VoteSpec | None:
        r = self.reader
        item = r.mapping(raw, path, _VOTE_KEYS)
        if item is None:
            return None
        approval = r.flag(item, "approval", path, False)
        for key in ("seats", "candidates", "elects") if approval else ():
            if key in item:
                message = self._(
                    "biểu quyết tán thành (approval) có sẵn ba phương án, không có {key}."
                )
                r.fail(f"{path}.{key}", message.format(key=key))
        candidates = self.candidates(item.get("candidates", "all"), f"{path}.candidates")
        seats = whole_number(r, item, "seats", path, _MAX_SEATS) if "seats" in item else 1
        pool = len(candidates) or len(self.units)
        if seats and pool and seats > pool:
            message = self._("nhiều hơn số ứng viên ({count}).").format(count=pool)
            r.fail(f"{path}.seats", message)
        elects, year = self.elects(item, path, seats or 1)
        return VoteSpec(
            code=r.code(item, "code", path),
            title=r.text(item, "title", path),
            approval=approval,
            secret=r.flag(item, "secret", path, True),
            seats=seats or 1,
            candidates=candidates,
            threshold=self.threshold(item, "threshold", path),
            base=self.base(item, path),
            quorum=self.threshold(item, "quorum", path),
            elects=elects,
            year=year,
        )

    def candidates(self, raw: Any, path: str) -> tuple[str, ...]:
        """`all` (the default) as no list, or the listed unit codes, each once."""
        if raw == "all":
            return ()
        if not isinstance(raw, list) or not raw or any(isinstance(c, (dict, list)) for c in raw):
            self.reader.fail(path, self._("cần all hoặc một danh sách mã đơn vị."))
            return ()
        codes = [str(code).strip() for code in raw]
        for index, code in enumerate(codes):
            if self.units and code not in self.units:
                self.reader.fail(f"{path}[{index}]", self.reader.no_such_unit(code))
            elif code in codes[:index]:
                self.reader.fail(f"{path}[{index}]", self._("«{code}» bị trùng.").format(code=code))
        return tuple(dict.fromkeys(codes))

    def threshold(self, item: dict[str, Any], key: str, path: str) -> Threshold:
        raw = item.get(key)
        if raw is None:
            return MORE_THAN_HALF
        threshold = parse_threshold(str(raw))
        if threshold is None:
            message = self._('«{value}» không phải ngưỡng như ">1/2" hoặc ">=2/3".')
            self.reader.fail(f"{path}.{key}", message.format(value=raw))
            return MORE_THAN_HALF
        return threshold

    def base(self, item: dict[str, Any], path: str) -> Base:
        raw = item.get("base", Base.PRESENT.value)
        if raw not in (Base.PRESENT.value, Base.ALL.value):
            self.reader.fail(f"{path}.base", self._("chỉ nhận present hoặc all."))
            return Base.PRESENT
        return Base(raw)

    def elects(self, item: dict[str, Any], path: str, seats: int) -> tuple[str | None, int | None]:
        """Which leader an election makes (`chair`, `vice_chair`) and for which year."""
        r, _ = self.reader, self._
        elects = item.get("elects")
        if elects is None:
            if "year" in item:
                r.fail(f"{path}.year", _("year chỉ dùng cùng elects."))
            return None, None
        if elects not in _ELECTS:
            r.fail(f"{path}.elects", _("chỉ nhận chair hoặc vice_chair."))
        if seats != 1:
            r.fail(f"{path}.seats", _("bầu cụm trưởng hoặc cụm phó chỉ có một ghế (seats: 1)."))
        year = r.year(item.get("year"), f"{path}.year")
        return (elects if elects in _ELECTS else None), year
