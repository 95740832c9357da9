"""The shared example's conferences and cluster keys, added to the example set-up file."""

from __future__ import annotations

import copy
from typing import Any

import yaml

__all__ = ["CLUSTER_KEYS", "CONFERENCES", "Tree", "as_text", "conference_file", "example_tree"]

Tree = dict[str, Any]

CONFERENCES = """
- code: 2026-h1-hn
  name: Hội nghị sơ kết công tác thi đua 6 tháng đầu năm 2026
  cluster: kt-cum2
  period: 2026-h1
  kind: so-ket
  host: sa-thay
  starts: 2026-07-10 14:00
  ends: 2026-07-10 17:00
  place: Hội trường UBND xã Sa Thầy
  place_name: Sa Thầy
  invite: 2026-06-26 08:00
  rsvp_by: 2026-07-07 17:00
  reminders: [3d, 1d]
  delegates: 3
  agenda:
    - {at: "14:00", title: "Tuyên bố lý do, giới thiệu đại biểu"}
    - {at: "14:10", title: Báo cáo sơ kết của Cụm, by: kon-tum}
    - {at: "15:40", title: Biểu quyết thông qua báo cáo, kind: vote}
    - {at: "16:40", title: Bế mạc}
  votes:
    - code: thong-qua
      title: Thông qua báo cáo sơ kết 6 tháng đầu năm 2026 của Cụm
      approval: true
      secret: false
      threshold: ">1/2"
    - code: suy-ton
      title: Suy tôn đơn vị dẫn đầu phong trào thi đua 6 tháng đầu năm 2026
      seats: 1
      candidates: all
      threshold: ">1/2"
      base: present
      quorum: ">1/2"
- code: 2026-tk-hn
  name: Hội nghị tổng kết công tác thi đua, khen thưởng năm 2026
  cluster: kt-cum2
  kind: tong-ket
  starts: 2026-12-18 08:00
  place: Hội trường UBND phường Kon Tum
  invite: 2026-12-04 08:00
  rsvp_by: 2026-12-15 17:00
  reminders: [2d]
  delegates: 4
  votes:
    - code: bau-cum-pho
      title: Bầu Cụm phó năm 2027
      seats: 1
      candidates: [dak-cam, mo-rai, ia-dal]
      elects: vice_chair
      year: 2027
      threshold: ">=2/3"
      base: all
"""
CLUSTER_KEYS = {
    "kind": "cum",
    "leaders": [{"year": 2027, "chair": "sa-thay"}],
    "letterhead": ["UBND TỈNH QUẢNG NGÃI", "CỤM THI ĐUA SỐ 2"],
    "place_name": "Kon Tum",
}


def example_tree(example_yaml: str) -> Tree:
    """The example file as a tree, with the conferences and the cluster keys added."""
    tree: Tree = yaml.safe_load(example_yaml)
    tree["clusters"][0].update(copy.deepcopy(CLUSTER_KEYS))
    tree["conferences"] = yaml.safe_load(CONFERENCES)
    return tree


def as_text(tree: Tree) -> str:
    """A tree back as YAML, in its own key order."""
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False)


def conference_file(example_yaml: str) -> str:
    """The example file with two conferences and the cluster's kind, leaders and letterhead."""
    return as_text(example_tree(example_yaml))
