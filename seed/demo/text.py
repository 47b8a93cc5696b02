"""Natural Chinese for demo records: need descriptions and talent bios (the people
themselves are made up in :mod:`seed.demo.people`).

Texts are composed from parts (opening, problem, concrete detail, request, constraints,
closing for needs; identity, expertise, achievements, availability, language and wish
for bios). Each part has many alternatives per domain and per category, the parts come
in several orders, and optional parts come and go, so two texts rarely share a skeleton.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from seed.demo.domains import TITLE_NAMES, Domain, Topic
from seed.demo.grammar import Grammar, expand, pick

NEED_MIN_CHARS, NEED_MAX_CHARS = 40, 250
BIO_MIN_CHARS, BIO_MAX_CHARS = 60, 300

# --- shared need grammar -----------------------------------------------------------------

NEED_GRAMMAR: dict[str, tuple[str, ...]] = {
    "open": (
        "{site}位于{county}{township}，海拔约{alt}米。",
        "我们是{county}{township}的{site_kind}，离县城{#15-120}公里。",
        "{township}山高坡陡，从县城开车过来要{#1-4}个多小时。",
        "本{site_kind}服务{township}及周边{#3-12}个村委会。",
        "{township}的群众以彝族为主，居住很分散。",
        "我们这里海拔{alt}米，冬天冷、雨季路不好走。",
        "{site}成立于{#1985-2019}年，这几年条件改善了不少，就是缺人。",
        "先介绍一下：{site}在{township}，是全乡唯一的{site_kind}。",
    ),
    "open_poor": (
        "{township}是全州25个贫困乡镇之一，山高坡陡，交通不便。",
        "我们乡是全州25个贫困乡镇之一，脱贫后最怕的就是返贫。",
        "{township}地处深山，海拔{alt}米，是州里重点倾斜的贫困乡镇。",
    ),
    "req": (
        "现需{expert}{hc}，{mode_phrase}，重点{task}。",
        "希望能请到{expert}{mode_phrase}，帮我们{task}，也顺带{task2}。",
        "诚邀{expert}{mode_phrase}，主要是{task}。",
        "想找{hc}{expert}，{task}；时间允许的话，也请{task2}。",
        "我们最需要的是{task}，其次是{task2}，盼{expert}{mode_phrase}。",
        "急需{expert}：一是{task}，二是{task2}。",
        "请{expert}{mode_phrase}，{task}。",
        "能不能派{hc}{expert}来？我们想{task}。",
    ),
    "logistics": (
        "食宿由我们安排。",
        "可以提供交通补贴。",
        "住宿条件一般，但伙食管够。",
        "乡里有周转房可以住。",
        "来回车费按规定报销。",
        "",
    ),
    "close": (
        "欢迎有意者联系。",
        "盼复！",
        "有意向的请尽快和我们联系。",
        "谢谢！",
        "群众都盼着呢。",
    ),
}

MODE_PHRASES: dict[str, tuple[str, ...]] = {
    "onsite_long": (
        "驻点服务一到两年",
        "到{township}挂职帮带{#12-24}个月",
        "常驻我们这里开展对口帮扶",
        "在这里长期蹲点",
    ),
    "onsite_short": (
        "在{season}来现场指导{days}天左右",
        "在{season}来几趟现场",
        "抽{days}天来现场看看",
        "在{season}到地里手把手地教",
    ),
    "seasonal": (
        "每年{season}来住一段时间",
        "以候鸟方式在{season}驻点",
        "{season}过来住上几个月",
    ),
    "remote": (
        "通过视频远程指导",
        "每周线上答疑一次",
        "用微信群和视频会议远程帮我们",
        "远程会诊、线上带教",
    ),
    "part_time": (
        "每月抽{#2-6}天兼职指导",
        "以兼职方式定期来",
        "周末或节假日来兼职",
    ),
    "project": (
        "以项目合作方式一起攻关",
        "带着项目来合作，技术入股或服务外包都可以谈",
        "以服务外包的方式承接",
    ),
}

LICENCE_SENTENCES = ("需具备{lic}。", "要求持有{lic}。", "须持{lic}上岗。")
TITLE_SENTENCES = (
    "要求{title_req}及以上职称。",
    "最好是{title_req}以上。",
    "职称不低于{title_req}。",
)
DEGREE_SENTENCES = ("学历要求{degree_req}及以上。", "{degree_req}以上学历。")
YI_SENTENCES = (
    "必须会讲彝语，很多老人只听得懂彝语。",
    "要能用彝语和群众交流。",
    "懂彝语是硬条件，不然工作很难开展。",
)
YI_SOFT_SENTENCES = ("会讲彝语的优先。", "懂点彝语更好。")
WINDOW_SENTENCES = (
    "服务时间为{start}至{end}。",
    "最晚{start}到岗。",
    "时间定在{start}到{end}之间。",
)
WINDOW_URGENT = (
    "{season_core}一过就来不及了，请务必按时到位。",
    "错过{season_core}就要再等一年。",
)

TITLE_REQ = ("", "员级", "初级", "中级", "副高级", "正高级")
DEGREE_NAMES = ("高中", "中专", "大专", "本科", "硕士研究生", "博士研究生")
DEGREE_REQ = ("", "中专", "大专", "本科", "硕士研究生", "博士研究生")


@dataclass(frozen=True, slots=True)
class NeedText:
    title: str
    description: str


def _opening(rng: random.Random, poverty: bool, scopes: Sequence[Grammar]) -> str:
    if rng.random() >= 0.7:
        return ""
    pool = NEED_GRAMMAR["open_poor"] if poverty and rng.random() < 0.5 else NEED_GRAMMAR["open"]
    return expand(pick(rng, pool), rng, scopes)


def _level_sentences(rng: random.Random, min_title_level: int, min_degree_level: int) -> list[str]:
    out: list[str] = []
    if min_title_level >= 3 or (min_title_level > 0 and rng.random() < 0.5):
        out.append(pick(rng, TITLE_SENTENCES).format(title_req=TITLE_REQ[min_title_level]))
    if min_degree_level >= 4 or (min_degree_level > 0 and rng.random() < 0.4):
        out.append(pick(rng, DEGREE_SENTENCES).format(degree_req=DEGREE_REQ[min_degree_level]))
    return out


def _window_sentence(
    rng: random.Random, urgent: bool, ctx: dict[str, str], scopes: Sequence[Grammar]
) -> list[str]:
    if urgent:
        return [expand(pick(rng, WINDOW_URGENT), rng, scopes)]
    if rng.random() < 0.35:
        return [pick(rng, WINDOW_SENTENCES).format(start=ctx["start"], end=ctx["end"])]
    return []


def _constraints(
    rng: random.Random,
    ctx: dict[str, str],
    scopes: Sequence[Grammar],
    req: NeedRequirements,
) -> str:
    """The sentences that carry a requirement (never dropped), sometimes shuffled."""
    hard = [pick(rng, LICENCE_SENTENCES).format(lic=lic) for lic in req.licence_names]
    hard += _level_sentences(rng, req.min_title_level, req.min_degree_level)
    if req.yi_required:
        hard.append(pick(rng, YI_SENTENCES))
    elif req.yi_soft:
        hard.append(pick(rng, YI_SOFT_SENTENCES))
    hard += _window_sentence(rng, req.urgent, ctx, scopes)
    if len(hard) > 1 and rng.random() < 0.5:
        rng.shuffle(hard)
    return "".join(hard)


def _arrange(
    rng: random.Random, opening: str, problem: str, detail: str, request: str
) -> list[str]:
    order = rng.random()
    if order < 0.4:
        return [opening, problem, detail, request]
    if order < 0.6:
        return [problem, detail, opening, request]
    if order < 0.8:
        return [request, opening, problem, detail]
    return [opening, detail, problem, request]


def _trim(parts: list[str], optionals: Sequence[str], max_chars: int) -> str:
    """Join ``parts``; while too long drop the optional parts in the order given (least
    informative first), then cut at the limit."""
    text = "".join(parts)
    for optional in optionals:
        if len(text) <= max_chars:
            break
        if optional and optional in parts:
            parts.remove(optional)
            text = "".join(parts)
    if len(text) > max_chars:
        text = text[: max_chars - 1] + "。"
    return text


@dataclass(frozen=True, slots=True)
class NeedRequirements:
    """What a need requires, as its description must state it."""

    licence_names: Sequence[str]
    min_title_level: int
    min_degree_level: int
    yi_required: bool
    yi_soft: bool
    urgent: bool


def need_text(
    rng: random.Random,
    *,
    domain: Domain,
    topic: Topic,
    ctx: dict[str, str],
    mode: str,
    poverty: bool,
    licence_names: Sequence[str],
    min_title_level: int,
    min_degree_level: int,
    yi_required: bool,
    yi_soft: bool,
    urgent: bool,
    headcount: int,
) -> NeedText:
    """Compose one need's title and description (40–250 characters)."""
    scopes: list[Grammar] = [ctx, topic.grammar, domain.grammar, NEED_GRAMMAR]
    tasks = _two_tasks(rng, scopes)
    ctx["task"], ctx["task2"] = tasks
    ctx["expert"] = expand(pick(rng, _alts("expert", scopes)), rng, scopes)
    ctx["hc"] = "" if headcount == 1 and rng.random() < 0.6 else _headcount_phrase(headcount)
    ctx["mode_phrase"] = expand(pick(rng, MODE_PHRASES[mode]), rng, scopes)

    opening = _opening(rng, poverty, scopes)
    problem = expand(pick(rng, _alts("problem", scopes)), rng, scopes)
    detail = expand(pick(rng, _alts("detail", scopes)), rng, scopes) if rng.random() < 0.75 else ""
    request = expand(pick(rng, NEED_GRAMMAR["req"]), rng, scopes)
    req = NeedRequirements(
        licence_names, min_title_level, min_degree_level, yi_required, yi_soft, urgent
    )
    hard = _constraints(rng, ctx, scopes, req)
    soft = pick(rng, NEED_GRAMMAR["logistics"]) if rng.random() < 0.45 else ""
    close = pick(rng, NEED_GRAMMAR["close"]) if rng.random() < 0.3 else ""

    body = _arrange(rng, opening, problem, detail, request)
    parts = [p for p in (*body, hard, soft, close) if p]
    text = _trim(parts, (close, soft, opening, detail), NEED_MAX_CHARS)
    while len(text) < NEED_MIN_CHARS:
        text += expand(pick(rng, _alts("detail", scopes)), rng, scopes)

    title = expand(pick(rng, _alts("title", scopes)), rng, scopes)
    if rng.random() < 0.3:
        title = ctx["township"] + title
    return NeedText(title=title, description=text)


def _alts(key: str, scopes: Sequence[Grammar]) -> tuple[str, ...]:
    for scope in scopes:
        value = scope.get(key)
        if value is not None and not isinstance(value, str):
            return value
    raise KeyError(key)


def _all_alts(key: str, scopes: Sequence[Grammar]) -> tuple[str, ...]:
    """Alternatives of ``key`` merged over every scope (topic tasks + domain tasks)."""
    out: list[str] = []
    for scope in scopes:
        value = scope.get(key)
        if value is not None and not isinstance(value, str):
            out.extend(value)
    return tuple(out)


def _two_tasks(rng: random.Random, scopes: Sequence[Grammar]) -> tuple[str, str]:
    pool = _all_alts("task", scopes)
    i = int(rng.random() * len(pool))
    j = int(rng.random() * (len(pool) - 1)) if len(pool) > 1 else 0
    if len(pool) > 1 and j >= i:
        j += 1
    return expand(pool[i], rng, scopes), expand(pool[j], rng, scopes)


_CN_NUM = ("零", "一", "两", "三", "四", "五", "六", "七", "八", "九", "十")


def _headcount_phrase(n: int) -> str:
    return f"{_CN_NUM[n]}名" if n <= 10 else f"{n}名"


# --- bios ---------------------------------------------------------------------------------

BIO_IDENTITY: dict[str, tuple[str, ...]] = {
    "expert": (
        "{inst}{dept}{title_name}，{degree_name}学历，长期从事{field}研究。",
        "现任{inst}{dept}学科带头人，{title_name}，从事{field}工作{years}年。",
        "我在{inst}工作了{years}年，主攻{field}，现在是{title_name}。",
        "{title_name}，{inst}{dept}的骨干专家，研究方向是{field}。",
        "{name}，{inst}{title_name}，{field}领域的专家。",
    ),
    "professional": (
        "{inst}{title_name}，从事{field}工作{years}年。",
        "我是{inst}的一名{title_name}，主要做{field}。",
        "在{inst}干了{years}年{field}，现为{title_name}。",
        "{degree_name}毕业后一直在{inst}工作，现任{title_name}，专业是{field}。",
    ),
    "retired": (
        "{retire_year}年从{inst}退休，退休前是{title_name}，干了一辈子{field}。",
        "原{inst}{title_name}，已退休{#1-9}年，身体还硬朗。",
        "退休前在{inst}从事{field}工作{years}年，{title_name}。",
        "我今年{age}岁，原来是{inst}的{title_name}，退休后闲不住。",
    ),
    "volunteer": (
        "{school}{major}专业{grad_year}届毕业生，通过“三支一扶”计划来到基层。",
        "刚从{school}毕业，学的是{major}，报名了大学生志愿服务西部计划。",
        "我是{home_place}人，{school}{major}专业毕业，想到基层锻炼几年。",
        "{age}岁，{degree_name}学历，{major}专业，三支一扶人员。",
    ),
    "teacher": (
        "{school}毕业，{grad_year}年考上特岗教师，在{county_place}教{subject}。",
        "特岗教师，教{subject}{years}年，{title_name}。",
        "我是一名特岗教师，{degree_name}学历，主教{subject}，兼任班主任。",
        "{grad_year}年从{school}毕业后到乡村学校当特岗教师，现为{title_name}。",
    ),
    "gp": (
        "全科医生，持有{lic_name}资格，在乡镇卫生院工作{years}年。",
        "我是{inst}的全科医生，{title_name}，持有{lic_name}资格。",
        "全科医生特岗计划招聘进来的，{degree_name}学历，{title_name}，已在基层干了{years}年。",
        "{school}临床医学专业毕业，规培后做全科医生，现为{title_name}。",
    ),
    "phd": (
        "{school}{major}专业博士，入选“蓝火计划”楚雄博士生工作团。",
        "“蓝火计划”博士，{school}{major}专业，研究{field}。",
        "我是{school}的博士，研究方向{field}，通过“蓝火计划”和楚雄结缘。",
    ),
    "returnee": (
        "{home_place}人，早年在{city}{job}，{return_year}年回到家乡。",
        "在{city}打拼了{years}年，响应“彝乡英才回巢计划”回到{home_place}创业。",
        "我是土生土长的{home_place}人，在外面{job}多年，这几年回来了。",
        "{degree_name}毕业后留在{city}{job}，{return_year}年返乡。",
    ),
    "veteran": (
        "退役军人，服役{#2-16}年，{return_year}年退役回到{home_place}。",
        "在部队干了{#2-16}年，当过{army_job}，退伍后回到{home_place}。",
        "我是{home_place}人，退役后一直在村里干，当过村民小组长。",
    ),
    "craftsman": (
        "{home_place}有名的{craft_title}，做{field}已经{years}年。",
        "人称“{nickname}”，在{home_place}一带做{field}{years}年了。",
        "我没上过几年学，但{field}做了大半辈子，是县里认定的{craft_title}。",
        "{name}，{home_place}人，乡土人才，{field}是一把好手。",
    ),
}

BIO_EXPERTISE: tuple[str, ...] = (
    "擅长{task}，也能{task2}。",
    "主要做{field}，{task}是拿手活。",
    "对{field}有较深研究，近年重点在{task}。",
    "这些年做得最多的是{task}。",
    "能{task}，也愿意{task2}。",
    "专长：{field}；{task}。",
)

BIO_ACHIEVE_GENERIC: dict[str, tuple[str, ...]] = {
    "expert": (
        "主持过国家和省级课题{#2-12}项",
        "入选云南省“兴滇英才支持计划”",
        "带过研究生{#5-40}名",
        "参加过省级专家服务团下基层",
    ),
    "professional": ("被评为州级优秀专业技术人才", "参与过{#2-8}个县乡帮带项目"),
    "retired": ("退休后参加过{#2-6}次义务下乡服务", "获得过省政府特殊津贴"),
    "volunteer": ("在校期间参加过{#2-5}次支教和社会实践", "获得过国家励志奖学金"),
    "teacher": ("获评县级优秀教师", "所教班级{subject}成绩提升明显"),
    "gp": ("参加过县域医共体下沉服务", "获评“优秀乡村医生”"),
    "phd": ("发表SCI论文{#2-9}篇", "参与过国家重点研发计划课题"),
    "returnee": ("回乡后带动{#10-150}户乡亲就业", "创办的合作社年销售额{#50-800}万元"),
    "veteran": ("带领村里{#10-80}户发展产业", "多次在抢险救灾中带头"),
    "craftsman": ("带出的徒弟有{#5-60}人", "在州里的技能比赛拿过奖"),
}

# Categories whose achievements may be the domain's professional ones.
DOMAIN_ACHIEVERS = frozenset({"expert", "professional", "retired", "phd", "craftsman"})

BIO_AVAILABILITY: dict[str, tuple[str, ...]] = {
    "onsite_long": (
        "愿意到基层驻点服务一到两年。",
        "可以长期驻点。",
        "希望服务期满后也能留在基层。",
    ),
    "onsite_short": ("{season}可以下乡现场指导。", "每年能下乡{#2-8}次，每次几天。"),
    "seasonal": ("每年冬春可到楚雄住几个月。", "候鸟式服务，一年来两季。"),
    "remote": ("可通过视频远程答疑。", "时间不便时可以线上指导。"),
    "part_time": ("每月能抽出几天兼职。", "周末和节假日可以兼职服务。"),
    "project": ("希望以项目合作方式长期对接。", "技术入股、服务外包都可以谈。"),
}

BIO_YI = ("会讲彝语。", "能用彝汉双语和群众交流。", "母语是彝语。")
BIO_EN = ("英语流利。", "能用英语交流。")

BIO_WISH: dict[str, tuple[str, ...]] = {
    "expert": ("愿意把成果用在楚雄的山山水水。", "希望和基层单位建立长期合作。"),
    "professional": ("愿意到艰苦地方去。", "希望把所学用在基层一线。"),
    "retired": ("身体允许的话，想再为基层做点事。", "不计报酬，有车费就行。"),
    "volunteer": ("希望在基层多锻炼。", "什么苦都能吃。"),
    "teacher": ("想让山里孩子学得更好。", "愿意扎根乡村。"),
    "gp": ("愿意到更偏远的卫生院去。", "希望多学一些慢病管理的新办法。"),
    "phd": ("想把论文写在大地上。", "希望找一个能长期做试验的基地。"),
    "returnee": ("想把在外面学到的带回家乡。", "不想再背井离乡了。"),
    "veteran": ("愿意为乡亲们多跑腿。", "吃苦耐劳，服从安排。"),
    "craftsman": ("愿意把手艺教给年轻人。", "哪里叫就去哪里。"),
}

BIO_GRAMMAR: dict[str, tuple[str, ...]] = {
    "city": ("昆明", "上海", "广州", "深圳", "浙江义乌", "成都"),
    "job": ("做电商", "开饭店", "在工厂当技术员", "搞物流", "做餐饮", "跑运输", "做建筑"),
    "army_job": ("汽车兵", "炊事班长", "卫生员", "通信兵"),
    "craft_title": ("土专家", "田秀才", "能工巧匠", "乡土人才"),
}


def _achievements(rng: random.Random, category: str, scopes: Sequence[Grammar]) -> str:
    pool = BIO_ACHIEVE_GENERIC[category]
    if category in DOMAIN_ACHIEVERS:
        pool = _alts("achieve", scopes) + pool
    n_ach = 1 if rng.random() < 0.6 else 2
    picks = rng.sample(range(len(pool)), min(n_ach, len(pool)))
    ach = [expand(pool[j], rng, scopes) for j in picks]
    return (pick(rng, ("曾", "", "先后", "")) + "，".join(ach) + "。") if ach else ""


def _language_sentence(rng: random.Random, speaks_yi: bool, speaks_en: bool) -> str:
    lang = ""
    if speaks_yi and rng.random() < 0.8:
        lang = pick(rng, BIO_YI)
    if speaks_en and rng.random() < 0.6:
        lang += pick(rng, BIO_EN)
    return lang


def bio_text(
    rng: random.Random,
    *,
    category: str,
    domain: Domain,
    topic: Topic,
    ctx: dict[str, str],
    modes: Sequence[str],
    speaks_yi: bool,
    speaks_en: bool,
) -> str:
    """Compose one talent's bio (60–300 characters)."""
    scopes: list[Grammar] = [ctx, topic.grammar, domain.grammar, BIO_GRAMMAR, NEED_GRAMMAR]
    ctx["task"], ctx["task2"] = _two_tasks(rng, scopes)
    ctx["field"] = expand(pick(rng, _alts("field", scopes)), rng, scopes)

    identity = expand(pick(rng, BIO_IDENTITY[category]), rng, scopes)
    expertise = expand(pick(rng, BIO_EXPERTISE), rng, scopes)
    achieve = _achievements(rng, category, scopes)
    avail = expand(pick(rng, BIO_AVAILABILITY[pick(rng, modes)]), rng, scopes)
    lang = _language_sentence(rng, speaks_yi, speaks_en)
    wish = pick(rng, BIO_WISH[category]) if rng.random() < 0.5 else ""

    middle = [expertise, achieve, avail, lang]
    rng.shuffle(middle)
    if rng.random() < 0.15 and achieve:
        parts = [achieve, identity, *[p for p in middle if p is not achieve], wish]
    else:
        parts = [identity, *middle, wish]
    parts = [p for p in parts if p]
    text = _trim(parts, (wish, lang, avail, achieve), BIO_MAX_CHARS)
    while len(text) < BIO_MIN_CHARS:
        text += expand(pick(rng, BIO_AVAILABILITY[pick(rng, modes)]), rng, scopes)
    return text


def title_name(series: str, level: int, institution_kind: str | None) -> str:
    """The 职称 name for ``level`` 1..5 in a series; universities and institutes name
    their senior titles differently."""
    if level <= 0:
        return "技术骨干"
    if institution_kind in {"university", "research"} and series not in {"health", "nursing"}:
        series = institution_kind
    return TITLE_NAMES[series][level - 1]


DOMAIN_MAJORS: dict[str, tuple[str, ...]] = {
    "fungi": ("微生物学", "林学", "森林保护"),
    "health": ("临床医学", "预防医学", "中医学"),
    "teaching": ("汉语言文学", "数学与应用数学", "英语", "小学教育"),
    "husbandry": ("动物医学", "动物科学"),
    "crops": ("农学", "园艺", "植物保护"),
    "breeding": ("作物遗传育种", "园艺", "生物技术"),
    "testing": ("食品质量与安全", "分析化学"),
    "elderly": ("护理学", "老年服务与管理", "康复治疗学"),
    "ecommerce": ("电子商务", "市场营销", "物流管理"),
    "planning": ("城乡规划", "环境工程", "风景园林"),
    "tourism": ("旅游管理", "民族学", "视觉传达设计"),
    "processing": ("食品科学与工程", "生物工程"),
    "management": ("农林经济管理", "会计学", "行政管理"),
}

# A local unit for talents whose institution is not in the catalogue ({county} is filled).
DOMAIN_LOCAL_UNITS: dict[str, tuple[str, ...]] = {
    "fungi": ("{county}林业和草原局", "{county}野生菌产业发展中心"),
    "health": ("{county}人民医院", "{county}疾病预防控制中心"),
    "teaching": ("{county}第一中学", "{county}教育体育局教研室"),
    "husbandry": ("{county}畜牧兽医站", "{county}动物疫病预防控制中心"),
    "crops": ("{county}农业技术推广中心", "{county}经济作物工作站"),
    "breeding": ("{county}种子管理站", "{county}农业技术推广中心"),
    "testing": ("{county}农产品质量安全检测站",),
    "elderly": ("{county}社会福利院", "{county}民政局"),
    "ecommerce": ("{county}商务局", "{county}电子商务公共服务中心"),
    "planning": ("{county}自然资源局", "{county}住房和城乡建设局"),
    "tourism": ("{county}文化馆", "{county}文化和旅游局"),
    "processing": ("{county}工业和信息化局", "{county}农业农村局"),
    "management": ("{county}农业农村局", "{county}农村经营管理站"),
}

SCHOOLS: tuple[str, ...] = (
    "云南农业大学",
    "云南大学",
    "云南师范大学",
    "昆明医科大学",
    "楚雄师范学院",
    "大理大学",
    "曲靖师范学院",
    "西南林业大学",
    "云南民族大学",
    "红河学院",
    "四川农业大学",
    "西南大学",
)
TEACHER_SCHOOLS: tuple[str, ...] = (
    "楚雄师范学院",
    "云南师范大学",
    "曲靖师范学院",
    "红河学院",
    "云南民族大学",
    "大理大学",
)
MEDICAL_SCHOOLS: tuple[str, ...] = ("昆明医科大学", "大理大学", "楚雄医药高等专科学校")
PHD_SCHOOLS: tuple[str, ...] = (
    "云南大学",
    "云南农业大学",
    "中国农业大学",
    "西南大学",
    "浙江大学",
    "中山大学",
    "昆明理工大学",
    "华中农业大学",
)
