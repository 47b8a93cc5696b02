"""Words people read: fit scores, plain reasons, the reasons glossary, the person page and
the approval queue as a work list (zh-CN, English)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # the fit score (service/usecases/explain.py::fit_score)
    "fit.label": ("匹配度", "Fit"),
    "fit.value": ("{fit}/100", "{fit}/100"),
    "fit.band.high": ("很合适", "strong fit"),
    "fit.band.good": ("合适", "good fit"),
    "fit.band.fair": ("一般", "fair fit"),
    "fit.band.low": ("较弱", "weak fit"),
    "fit.help": ("这些理由是什么意思？", "What do these reasons mean?"),
    "fit.top_reasons": ("主要理由", "Main reasons"),
    "fit.no_reasons": (
        "除内容相关外没有突出的理由。",
        "No reason stands out beyond the text.",
    ),
    # one plain sentence per reason
    "reason.text.high": (
        "简介和经历与需求内容高度相关",
        "Their profile and experience closely match what the need describes",
    ),
    "reason.text.mid": (
        "简介和经历与需求内容相关",
        "Their profile and experience relate to what the need describes",
    ),
    "reason.text.low": (
        "简介和经历与需求内容有些相关",
        "Their profile and experience touch on what the need describes",
    ),
    "reason.skills.all": ("有{skills}{count}所需技能", "Has {count} required skills: {skills}"),
    "reason.skills.one": ("有所需技能{skills}", "Has the required skill {skills}"),
    "reason.skills.some": (
        "有所需 {total} 项技能中的 {n} 项：{skills}",
        "Has {n} of the {total} required skills: {skills}",
    ),
    "reason.skills.near": ("技能相近：{skills}", "Related skills: {skills}"),
    "reason.distance.same": (
        "同在{county}，距离约 {km} 公里",
        "Also in {county}, about {km} km away",
    ),
    "reason.distance.other": ("距离约 {km} 公里", "About {km} km away"),
    "reason.availability.full": (
        "需求期间全程有空",
        "Available for the whole period of the need",
    ),
    "reason.availability.part": (
        "需求期间约 {share}% 的时间有空",
        "Available for about {share}% of the need's period",
    ),
    "reason.title": (
        "职称{title}，要求{required}及以上",
        "Title: {title} ({required} or above asked)",
    ),
    "reason.degree": (
        "学历{degree}，要求{required}及以上",
        "Degree: {degree} ({required} or above asked)",
    ),
    "reason.hometown": ("{county}人，回乡服务", "From {county}: serving back home"),
    "reason.priority.poverty": ("贫困乡镇，优先倾斜", "A poverty township: given priority"),
    "reason.priority.altitude": (
        "高海拔地区（{m} 米），优先倾斜",
        "High altitude ({m} m): given priority",
    ),
    "reason.load": ("尚有服务余量", "Has time to take this on"),
    "reason.continuity.site": (
        "所在单位与该单位结对帮扶",
        "Their institution is paired with this site",
    ),
    "reason.continuity.county": (
        "所在单位与{county}结对帮扶",
        "Their institution is paired with {county}",
    ),
    "reason.history.township": (
        "近两年在本乡服务过 {n} 次",
        "Served in this township {n} times in the last two years",
    ),
    "reason.history.county": (
        "近两年在{county}服务过 {n} 次",
        "Served in {county} {n} times in the last two years",
    ),
    "reason.history.rated": ("，评价 {rating} 分", ", rated {rating} of 5"),
    "reason.and": ("和", " and "),
    "reason.sep": ("、", ", "),
    "reason.count.2": ("两项", "two"),
    "reason.count.3": ("三项", "three"),
    "reason.count.n": ("{n} 项", "{n}"),
    # the glossary page /help/reasons
    "glossary.title": ("推荐理由说明", "What the reasons mean"),
    "glossary.intro": (
        "每位候选人旁列出最重要的三条理由，按对匹配度的贡献从大到小排列。"
        "只列出对这位候选人确实成立的理由；需求没有提出的要求不会出现。",
        "Each candidate shows the three reasons that count most, strongest first. "
        "Only reasons that hold for that candidate are listed; a requirement the need "
        "does not make never appears.",
    ),
    "glossary.fit.h": ("匹配度（0–100）", "Fit (0–100)"),
    "glossary.fit": (
        "匹配度由系统的排序分数换算而来：分数越高，匹配度越高，最高 100，最低 0。"
        "换算公式为 100 ×（1 − e^(−分数 ÷ 0.6)），取整；分数为 0 或负时为 0。"
        "80 以上为“很合适”，60–79 为“合适”，40–59 为“一般”，40 以下为“较弱”。"
        "匹配度只用于比较同一需求的候选人，不是录用概率。",
        "Fit is converted from the engine's ranking score: a higher score always gives "
        "a higher fit, never above 100 nor below 0. It is 100 × (1 − e^(−score ÷ 0.6)), "
        "rounded; a score of 0 or less gives 0. 80 and above reads “strong fit”, 60–79 "
        "“good fit”, 40–59 “fair fit”, below 40 “weak fit”. Fit compares candidates "
        "for one need; it is not a chance of being placed.",
    ),
    "glossary.reason": ("理由", "Reason"),
    "glossary.example": ("示例：", "Example: "),
    "glossary.meaning": ("含义", "What it means"),
    "glossary.text": ("内容相关", "Text match"),
    "glossary.text.means": (
        "比较需求的标题和说明与人才的简介、过往服务记录：意思相近（语义）和用词相同（字面）两方面合起来看。"
        "",
        "Compares the need's title and description with the talent's profile and past "
        "service, both by meaning and by shared wording, taken together.",
    ),
    "glossary.skills": ("所需技能", "Required skills"),
    "glossary.skills.means": (
        "需求勾选的技能中，人才具备几项。"
        "同一大类下的相近技能（例如妇产科之于儿科）算四分之一项，每项相近技能只抵一次。"
        "需求未勾选技能时不出现。",
        "How many of the skills the need ticked the talent has. A related skill in the "
        "same group (say obstetrics for paediatrics) counts a quarter, each related skill "
        "standing in once. Absent when the need ticks no skills.",
    ),
    "glossary.distance": ("距离", "Distance"),
    "glossary.distance.means": (
        "人才常驻地到单位的直线距离；越近越好。远程服务不计距离。",
        "Straight-line distance from where the talent lives to the site; nearer is "
        "better. Remote service ignores distance.",
    ),
    "glossary.availability": ("时间", "Dates"),
    "glossary.availability.means": (
        "人才填写的可服务时段覆盖需求时段的比例。",
        "How much of the need's period the talent's availability covers.",
    ),
    "glossary.qualification": ("职称与学历", "Title and degree"),
    "glossary.qualification.means": (
        "只在需求提出最低职称或学历时出现，说明人才的职称或学历与要求的比较。",
        "Only when the need asks for a minimum title or degree: how the talent's compares with it.",
    ),
    "glossary.hometown": ("回乡服务", "Serving back home"),
    "glossary.hometown.means": (
        "人才籍贯就是单位所在县（彝乡英才回巢）。",
        "The talent comes from the site's county (彝乡英才回巢, talent coming home).",
    ),
    "glossary.priority": ("优先倾斜", "Priority area"),
    "glossary.priority.means": (
        "单位在贫困乡镇或高海拔地区，行动方案要求优先支持。"
        "对同一需求的所有候选人都一样，所以只在为人才推荐岗位时列出。",
        "The site is in a poverty township or at high altitude, which the plan "
        "favours. It is the same for every candidate of one need, so it is listed only "
        "when suggesting placements to a talent.",
    ),
    "glossary.load": ("服务余量", "Spare time"),
    "glossary.load.means": (
        "人才还能承担的对接数和今年剩余的服务天数。",
        "How many more placements and days this year the talent can still take on.",
    ),
    "glossary.continuity": ("结对与过往服务", "Pairing and past service"),
    "glossary.continuity.means": (
        "人才所在单位与该单位或该县结对帮扶；"
        "或人才近两年在本乡、本县有服务记录（附单位的平均评价，1–5 分）。",
        "The talent's institution is paired with the site or its county; or the talent "
        "has served in this township or county in the last two years (with the sites' "
        "average rating, 1–5).",
    ),
    "glossary.whynot.h": ("为什么不合适", "Why someone does not fit"),
    "glossary.whynot": (
        "“为什么不合适”页面只列出未满足的硬性条件"
        "（时间、服务方式、职称学历、执业资格、距离、语言、服务余量等）。"
        "不满足硬性条件的人才不会被推荐，因此这个页面不显示推荐理由。",
        "The “why not” page lists only the hard conditions the talent fails (dates, "
        "mode, title and degree, licences, distance, languages, spare time…). Someone "
        "who fails one is never recommended, so that page shows no reasons to recommend.",
    ),
    # the person page /talents/{id}
    "person.title": ("人才资料", "Talent profile"),
    "person.bio": ("个人简介", "About"),
    "person.skills": ("专业领域/技能", "Fields and skills"),
    "person.category": ("人才类别", "Category"),
    "person.title_level": ("职称", "Title"),
    "person.degree_level": ("学历", "Degree"),
    "person.licences": ("执业资格", "Licences"),
    "person.languages": ("语言", "Languages"),
    "person.home": ("籍贯", "Home county"),
    "person.institution": ("所在单位", "Institution"),
    "person.modes": ("可接受的服务方式", "Service modes"),
    "person.radius": ("可出行半径", "Travel radius"),
    "person.radius.km": ("{km} 公里", "{km} km"),
    "person.long_ok": ("可接受长期派驻", "Open to long placements"),
    "person.yes": ("是", "yes"),
    "person.no": ("否", "no"),
    "person.availability": ("可服务时间", "Availability"),
    "person.no_windows": ("未填写可服务时段", "No availability given"),
    "person.load": ("当前承担", "Current load"),
    "person.load.text": (
        "进行中的对接 {active}/{cap} 项；今年已安排 {days}/{cap_days} 天",
        "{active} of {cap} placements under way; {days} of {cap_days} days this year booked",
    ),
    "person.service": ("过往服务", "Past service"),
    "person.service.none": ("还没有完成的服务。", "No completed service yet."),
    "person.service.site": ("单位", "Site"),
    "person.service.need": ("内容", "What"),
    "person.service.dates": ("时间", "When"),
    "person.service.records": ("服务记录", "Records"),
    "person.service.rating": ("平均评价", "Average rating"),
    "person.service.records_n": ("{n} 次", "{n}"),
    "person.service.rating_v": ("{rating} 分", "{rating} of 5"),
    "person.service.unrated": ("未评价", "not rated"),
    "person.summary": (
        "完成服务 {n} 项，平均评价 {rating} 分",
        "{n} placements completed, average rating {rating} of 5",
    ),
    "person.summary.unrated": ("完成服务 {n} 项", "{n} placements completed"),
    "person.contact": ("联系方式", "Contact"),
    "person.contact.hidden": (
        "对接获批准后才显示联系方式。",
        "Contact details show once a match is approved.",
    ),
    "person.fit_for": ("与需求“{title}”的匹配", "Fit for “{title}”"),
    "person.back_need": ("返回需求：{title}", "Back to the need: {title}"),
    "person.link": ("查看人才资料", "See the profile"),
    # the queue as a work list
    "queue.fit": ("匹配度", "Fit"),
    "queue.person": ("人才资料", "Profile"),
    "queue.approved": ("已批准", "Approved"),
    "queue.rejected": ("已驳回", "Rejected"),
    "queue.result_line": ("{talent} — {need}：{outcome}", "{talent} — {need}: {outcome}"),
    "queue.bulk": ("批量处理", "Decide several at once"),
    "queue.select_all": ("全选本页", "Tick all on this page"),
    "queue.confirm.title": ("请确认", "Please confirm"),
    "queue.confirm.text": (
        "将{decision}以下 {n} 项对接：",
        "You are about to {decision} these {n} matches:",
    ),
    "queue.confirm.approve": ("批准", "approve"),
    "queue.confirm.reject": ("驳回", "reject"),
    "queue.confirm.reason": ("驳回原因：{reason}", "Reason for rejecting: {reason}"),
    "queue.confirm.yes": ("确认提交", "Yes, submit"),
    "queue.confirm.back": ("返回修改", "Go back"),
    "queue.item.approve": ("批准", "Approve"),
    "queue.item.reject": ("驳回", "Reject"),
    "queue.item.reason": ("驳回原因", "Reason to reject"),
    "whynot.fails": ("未满足的硬性条件", "Hard conditions not met"),
    "whynot.fit_summary": ("满足全部硬性条件，{fit}", "Meets every hard condition; {fit}"),
}
