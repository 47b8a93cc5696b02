"""Why a need stays short, and the words a person reads for each reason and each hard
constraint (zh-CN, English)."""

from __future__ import annotations

from matching.assignment import UnfilledReason
from matching.constraints import Constraint


class Unfilled:
    """Why a need got fewer proposals than it has open slots."""

    NO_FEASIBLE = "no_feasible_candidate"
    FEW_CANDIDATES = "too_few_candidates"
    ALREADY_MATCHED = "candidates_already_matched"
    CAPACITY_COMMITTED = "capacity_committed"
    CAPACITY_EXHAUSTED = UnfilledReason.CAPACITY_EXHAUSTED.value
    INSTITUTION_CAP = UnfilledReason.INSTITUTION_CAP.value
    NOT_WORTHWHILE = UnfilledReason.NOT_WORTHWHILE.value


REASON_TEXT: dict[str, tuple[str, str]] = {
    Unfilled.NO_FEASIBLE: (
        "没有人才满足硬性条件",
        "no talent passes the hard constraints",
    ),
    Unfilled.FEW_CANDIDATES: (
        "满足硬性条件的人才少于所需人数，已全部推荐",
        "fewer talents pass the hard constraints than the need asks for; all were proposed",
    ),
    Unfilled.ALREADY_MATCHED: (
        "符合条件的人才均已与该需求有对接记录（待定或已决定）",
        "every feasible talent already has a match with this need (pending or decided)",
    ),
    Unfilled.CAPACITY_COMMITTED: (
        "候选人才的服务容量已被此前的对接占满",
        "every candidate's capacity is taken by earlier matches",
    ),
    Unfilled.CAPACITY_EXHAUSTED: (
        "候选人才已被安排到更合适的需求",
        "capacity exhausted by better uses in this run",
    ),
    Unfilled.INSTITUTION_CAP: (
        "同一机构派往该单位的人数已达上限",
        "held back by the per-institution cap at this site",
    ),
    Unfilled.NOT_WORTHWHILE: (
        "候选人才匹配度过低，安排不划算",
        "the remaining candidates would lower the total (score too low)",
    ),
}

CONSTRAINT_TEXT: dict[str, tuple[str, str]] = {
    Constraint.WINDOW: ("服务时间不重合", "no shared time window"),
    Constraint.MODE: ("服务方式不符", "service mode not offered"),
    Constraint.TITLE: ("职称不足", "title too low"),
    Constraint.DEGREE: ("学历不足", "degree too low"),
    Constraint.LICENCE: ("缺少资格证书", "missing licence"),
    Constraint.DISTANCE: ("距离超出出行半径", "beyond travel radius"),
    Constraint.LANGUAGE: ("语言不符", "language not spoken"),
    Constraint.CAPACITY_CONCURRENT: ("同时服务已满", "fully booked"),
    Constraint.CAPACITY_DAYS: ("年度服务天数不足", "not enough days left this year"),
    Constraint.DECLINED: ("此前已婉拒", "declined before"),
    Constraint.BLOCKED: ("已设屏蔽", "blocked"),
    Constraint.CATEGORY: ("人才类别不符", "not of a required talent category"),
    Constraint.LONG_PLACEMENT: ("不接受长期派驻", "not available for long placements"),
    Constraint.OCCUPIED: ("该时段已有派驻", "busy with a placement over those dates"),
}
