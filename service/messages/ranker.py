"""Words people read about the ranking: which scorer ranked a list, and the feedback
that adjusted it (zh-CN, English)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "ranker.hand": (
        "排序依据：人工设定的权重",
        "Ranked by: the hand-set weights",
    ),
    "ranker.learned": (
        "排序依据：从以往对接决定中学习的模型（{scope}，第 {version} 版），"
        "它在留出的后期决定上优于人工权重",
        "Ranked by: a model learned from earlier decisions ({scope}, version {version}), "
        "which beat the hand-set weights on later, held-out decisions",
    ),
    "ranker.prefecture": ("全州", "whole prefecture"),
    "ranker.feedback": (
        "已按本站点近期婉拒、退回的原因调整：更看重{features}",
        "Adjusted for this site's recent decline and rejection reasons: more weight on {features}",
    ),
    "ranker.feature.distance": ("距离", "distance"),
    "ranker.feature.availability": ("时间安排", "availability"),
    "ranker.feature.skills": ("专业技能", "skills"),
    "ranker.feature.qualification": ("资历", "qualifications"),
    "ranker.feature.load": ("工作负担", "workload"),
}
