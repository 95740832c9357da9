"""What the demo's later acts need beyond the example file: the mid-year and year-end
conferences, next year's pledge with its registration window, next year's chair and vice-chair."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import yaml

__all__ = ["ACTS", "NEXT_YEAR", "local", "with_acts"]

NEXT_YEAR = 2027

_ACTS = """
leaders:
  - {year: 2027, chair: sa-thay, vice_chair: mo-rai}
pledges:
  - cluster: kt-cum2
    year: 2027
    indicators_from: 2026
    registration: {opens: 2026-12-01 08:00, deadline: 2026-12-10 17:00}
conferences:
  - code: 2026-h1-hn
    name: Hội nghị sơ kết công tác thi đua 6 tháng đầu năm 2026
    cluster: kt-cum2
    period: 2026-h1
    kind: so-ket
    host: sa-thay
    starts: 2026-07-10 14:00
    ends: 2026-07-10 17:00
    place: Hội trường UBND xã Sa Thầy
    invite: 2026-06-26 08:00
    rsvp_by: 2026-07-07 17:00
    reminders: [3d]
    delegates: 3
    agenda:
      - {at: "14:00", title: "Tuyên bố lý do, giới thiệu đại biểu"}
      - {at: "14:10", title: Báo cáo sơ kết 6 tháng đầu năm 2026 của Cụm, by: kon-tum}
      - {at: "16:40", title: Bế mạc}
  - code: 2026-tk-hn
    name: Hội nghị tổng kết công tác thi đua, khen thưởng năm 2026
    cluster: kt-cum2
    kind: tong-ket
    starts: 2026-12-18 08:00
    ends: 2026-12-18 11:00
    place: Hội trường UBND phường Kon Tum
    invite: 2026-12-11 08:00
    rsvp_by: 2026-12-16 17:00
    reminders: []
    delegates: 3
    agenda:
      - {at: "08:00", title: Báo cáo tổng kết công tác thi đua năm 2026 của Cụm, by: kon-tum}
      - {at: "09:30", title: "Công bố Cụm trưởng, Cụm phó năm 2027", kind: handover}
      - {at: "10:00", title: Ký kết giao ước thi đua năm 2027}
"""


ACTS: dict[str, Any] = yaml.safe_load(_ACTS)


def local(moment: str) -> datetime:
    """A time of the acts' set-up («2026-06-26 08:00») in the cluster's timezone."""
    return datetime.fromisoformat(moment).replace(tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def with_acts(example: str) -> str:
    """The example set-up file with the acts' conference, pledge and leaders added."""
    tree: dict[str, Any] = yaml.safe_load(example)
    acts: dict[str, Any] = yaml.safe_load(_ACTS)  # a copy of its own: the tree is changed
    tree["clusters"][0]["leaders"] = acts["leaders"]
    tree["pledges"] = [*tree.get("pledges", []), *acts["pledges"]]
    tree["conferences"] = [*tree.get("conferences", []), *acts["conferences"]]
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False)
