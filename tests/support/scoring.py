"""The example set-up with the scoring table of the shared example (`scoring:` under the pledge)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import yaml
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.storage import session_scope
from bot.storage.models import Answer, Cluster, Indicator, Pledge, Unit
from bot.storage.scoring_reviews import record_self_score
from bot.storage.types import require_id
from tests.support.factories import EXAMPLE, example_cluster, period, submit

# The three counting indicators and the scoring table of ../shared/examples/cluster.yaml, with
# the titles that hold a comma quoted (in a {flow: mapping} an unquoted comma ends the value).
SCORING_INDICATORS = """
- {code: sang-kien, name: "Số sáng kiến, mô hình mới được công nhận", kind: number,
   integer: true, min: 0}
- {code: khen-thuong, name: "Số cờ thi đua, bằng khen cấp tỉnh trở lên được tặng",
   kind: number, integer: true, min: 0}
- {code: vi-pham, name: Số vụ việc vi phạm bị cấp trên phê bình, kind: number,
   integer: true, better: lower, min: 0}
"""
SCORING = """
classes: {Xuất sắc: 90, Tốt: 80, Khá: 65}
criteria:
  - code: kt-xh
    title: I. Thực hiện các chỉ tiêu phát triển kinh tế – xã hội
    max: 50
    items:
      - {indicator: thu-ngan-sach, max: 15}
      - {indicator: xa-ntm, max: 10}
      - {indicator: quy-vi-nguoi-ngheo, max: 10}
      - {indicator: hs-bo-hoc, max: 10}
      - {indicator: giao-quan, max: 5}
  - code: xd-dang
    title: II. Xây dựng Đảng và chính quyền
    max: 20
    items:
      - {indicator: tcd-htt, max: 10}
      - {indicator: cchc, max: 10, points: {Tốt: 10, Khá: 7, Trung bình: 4, Yếu: 0}}
  - code: tdkt
    title: III. Công tác thi đua, khen thưởng
    max: 30
    items:
      - {code: to-chuc, title: "Tổ chức phát động, sơ kết, tổng kết phong trào thi đua", max: 10}
      - {indicator: sang-kien, per: 2, max: 10}
      - {code: dien-hinh, title: "Phát hiện, nhân rộng điển hình tiên tiến", max: 10}
  - code: thuong-tru
    title: IV. Điểm thưởng, điểm trừ (ngoài thang điểm 100)
    items:
      - {indicator: khen-thuong, bonus: 5, max: 10}
      - {indicator: vi-pham, penalty: 5, max: 10}
"""
LEAF_KEYS = (
    "thu-ngan-sach",
    "xa-ntm",
    "quy-vi-nguoi-ngheo",
    "hs-bo-hoc",
    "giao-quan",
    "tcd-htt",
    "cchc",
    "to-chuc",
    "sang-kien",
    "dien-hinh",
    "khen-thuong",
    "vi-pham",
)


def scoring_tree(scoring: Any = None) -> dict[str, Any]:
    """The example set-up tree whose pledge has the counting indicators and a scoring table."""
    tree: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    pledge = tree["pledges"][0]
    known = {indicator["code"] for indicator in pledge["indicators"]}
    pledge["indicators"] += [
        item for item in yaml.safe_load(SCORING_INDICATORS) if item["code"] not in known
    ]
    pledge["scoring"] = yaml.safe_load(SCORING) if scoring is None else scoring
    return tree


def scoring_yaml(scoring: Any = None) -> str:
    """`scoring_tree` as the text of a set-up file."""
    return yaml.safe_dump(scoring_tree(scoring), allow_unicode=True, sort_keys=False)


def submit_figures(
    engine: Engine, unit_code: str, answers: dict[str, str], *, revision: int = 1
) -> int:
    """A submitted revision of the example period with canonical answers by indicator code."""
    submission_id = submit(
        engine, unit_code, at=datetime(2026, 6, 10, 3, 0, tzinfo=UTC), revision=revision
    )
    with session_scope(engine) as session:
        indicators = {
            indicator.code: require_id(indicator)
            for indicator in session.exec(select(Indicator).join(Pledge).where(Pledge.year == 2026))
        }
        for code, value in answers.items():
            session.add(
                Answer(submission_id=submission_id, indicator_id=indicators[code], value=value)
            )
    return submission_id


def ids(engine: Engine, unit_code: str) -> tuple[int, int, int]:
    """(period id, cluster id, unit id) of the example period, its cluster and a unit."""
    with Session(engine) as session:
        unit = session.exec(select(Unit).where(Unit.code == unit_code)).one()
        cluster = session.exec(select(Cluster)).one()
        return require_id(period(session)), require_id(cluster), require_id(unit)


# Three units' figures and own scores: kon-tum 81.00 (Tốt), sa-thay 70.90 (Khá), dak-cam 57.00.
FIGURES = {
    "kon-tum": {
        "thu-ngan-sach": "620",
        "xa-ntm": "8",
        "quy-vi-nguoi-ngheo": "1800",
        "hs-bo-hoc": "0.3",
        "giao-quan": "true",
        "tcd-htt": "47/53",
        "cchc": "Tốt",
        "sang-kien": "3",
        "khen-thuong": "1",
        "vi-pham": "0",
    },
    "sa-thay": {
        "thu-ngan-sach": "114",
        "xa-ntm": "4",
        "quy-vi-nguoi-ngheo": "400",
        "hs-bo-hoc": "0.4",
        "giao-quan": "false",
        "tcd-htt": "15/18",
        "cchc": "Khá",
        "sang-kien": "7",
        "khen-thuong": "3",
        "vi-pham": "1",
    },
    "dak-cam": {
        "thu-ngan-sach": "90",
        "xa-ntm": "6",
        "quy-vi-nguoi-ngheo": "240",
        "hs-bo-hoc": "0.9",
        "giao-quan": "true",
        "cchc": "Trung bình",
        "sang-kien": "0",
        "khen-thuong": "0",
        "vi-pham": "0",
    },
}
OWN = {
    "kon-tum": {"to-chuc": "9", "dien-hinh": "8.5"},
    "sa-thay": {"to-chuc": "10"},
    "dak-cam": {"to-chuc": "7", "dien-hinh": "7"},
}


def score_example(engine: Engine) -> None:
    """The example cluster with the scoring table; kon-tum, sa-thay, dak-cam have submitted."""
    example_cluster(engine, yaml=scoring_yaml(), group=False)
    for unit, answers in FIGURES.items():
        own_scores(engine, submit_figures(engine, unit, answers), OWN[unit])


def own_scores(engine: Engine, submission_id: int, scores: dict[str, str]) -> None:
    """The unit's own scores on people-scored criteria, in a revision."""
    _, cluster_id, _ = ids(engine, "kon-tum")
    with session_scope(engine) as session:
        for key, value in scores.items():
            record_self_score(
                session,
                submission_id=submission_id,
                cluster_id=cluster_id,
                criterion_key=key,
                value=Decimal(value),
            )
