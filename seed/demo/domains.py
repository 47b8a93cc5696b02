"""Domain grammars: what grassroots sites ask for and what talents can do, per field.

Each ``Domain`` carries the Chinese words used to find its skills in whatever taxonomy
the reference data holds (``keywords``), and a grammar. Each ``Topic`` narrows the
domain (its own keywords pick more specific skills) and adds or overrides slots.

Slots a domain or topic should define (see ``text.py``):
``problem`` sentence(s) stating the site's trouble; ``detail`` a concrete fact with
numbers; ``task`` verb phrases of the help wanted; ``expert`` who is wanted; ``season``
when; ``title`` need titles; ``field`` a talent's field (noun phrase); ``achieve`` a
talent's achievement in this domain.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from seed.demo.grammar import Grammar


@dataclass(frozen=True)
class Topic:
    key: str
    keywords: tuple[str, ...]
    grammar: Grammar = field(default_factory=dict)
    licences: tuple[str, ...] = ()  # licence keys a need on this topic may require


@dataclass(frozen=True)
class Domain:
    key: str
    name: str
    keywords: tuple[str, ...]
    topics: tuple[Topic, ...]
    grammar: Grammar
    title_series: str  # key into TITLE_NAMES
    depts: tuple[str, ...] = ()
    programme_hints: tuple[str, ...] = ()
    rare: tuple[str, ...] = ()  # skills few talents hold: hard-to-fill needs ask for them


# Title names per series, indexed by title_level 1..5.
TITLE_NAMES: dict[str, tuple[str, ...]] = {
    "health": ("医士", "医师", "主治医师", "副主任医师", "主任医师"),
    "nursing": ("护士", "护师", "主管护师", "副主任护师", "主任护师"),
    "teaching": ("三级教师", "二级教师", "一级教师", "高级教师", "正高级教师"),
    "agri": ("农业技术员", "助理农艺师", "农艺师", "高级农艺师", "农业技术推广研究员"),
    "vet": ("兽医技术员", "助理兽医师", "兽医师", "高级兽医师", "正高级兽医师"),
    "eng": ("技术员", "助理工程师", "工程师", "高级工程师", "正高级工程师"),
    "econ": ("经济员", "助理经济师", "经济师", "高级经济师", "正高级经济师"),
    "culture": ("群文员", "助理馆员", "馆员", "副研究馆员", "研究馆员"),
    "research": ("研究实习员", "研究实习员", "助理研究员", "副研究员", "研究员"),
    "university": ("助教", "助教", "讲师", "副教授", "教授"),
}

FUNGI = ("松茸", "牛肝菌", "鸡枞", "干巴菌", "青头菌", "鸡油菌", "羊肚菌", "块菌（松露）")
ANIMALS = ("黑山羊", "生猪", "武定鸡", "肉牛", "中蜂", "滇南小耳猪")
SUBJECTS = ("数学", "英语", "语文", "科学", "音乐", "体育", "信息技术")

# crop, its key season, unit of scale
CROPS: tuple[tuple[str, str], ...] = (
    ("核桃", "冬季修剪（11月到次年1月）"),
    ("花椒", "采摘期（7–8月）"),
    ("烤烟", "移栽到烘烤的关键期（4–8月）"),
    ("冬早蔬菜", "10月到次年3月的种植季"),
    ("番茄", "冬春季"),
    ("芒果", "花期（2–3月）"),
    ("石榴", "开花坐果的4–6月"),
    ("葡萄", "冬季修剪和春季萌芽期"),
    ("蓝莓", "3–5月的采收季"),
    ("马铃薯", "春播和秋播"),
    ("魔芋", "4–5月下种时节"),
    ("青花椒", "采摘期（6–8月）"),
)
COUNTY_CROPS: dict[str, tuple[str, ...]] = {
    "大姚": ("核桃", "核桃", "花椒", "蓝莓"),
    "永仁": ("芒果", "石榴", "石榴", "葡萄"),
    "元谋": ("冬早蔬菜", "番茄", "冬早蔬菜", "葡萄"),
    "双柏": ("花椒", "核桃", "魔芋"),
    "南华": ("核桃", "马铃薯", "青花椒"),
    "姚安": ("烤烟", "冬早蔬菜", "马铃薯"),
    "牟定": ("烤烟", "蓝莓", "核桃"),
    "武定": ("烤烟", "核桃", "马铃薯"),
    "禄丰": ("冬早蔬菜", "葡萄", "烤烟"),
    "楚雄": ("烤烟", "冬早蔬菜", "马铃薯", "蓝莓"),
}
COUNTY_ANIMALS: dict[str, tuple[str, ...]] = {
    "武定": ("武定鸡", "武定鸡", "黑山羊"),
    "双柏": ("黑山羊", "黑山羊", "中蜂"),
    "大姚": ("黑山羊", "生猪"),
    "永仁": ("黑山羊", "肉牛"),
    "南华": ("生猪", "黑山羊"),
}
COUNTY_PRODUCTS: dict[str, tuple[str, ...]] = {
    "南华": ("松茸", "牛肝菌", "野生菌干片"),
    "大姚": ("核桃", "核桃油"),
    "永仁": ("芒果", "石榴"),
    "元谋": ("番茄", "冬早蔬菜"),
    "武定": ("武定鸡", "壮鸡"),
    "双柏": ("花椒", "蜂蜜"),
    "姚安": ("梅子", "蔬菜"),
    "牟定": ("腐乳", "蓝莓"),
    "禄丰": ("黑井古盐", "葡萄"),
    "楚雄": ("彝绣", "火腿", "野生菌"),
}
PRODUCTS = ("彝绣", "核桃", "野生菌", "花椒", "蜂蜜", "腊肉", "梅子", "苦荞", "黑山羊肉")

COMMON_SEASON: tuple[str, ...] = ("关键时节", "农闲时节", "寒假前后", "春耕前")


DOMAINS: tuple[Domain, ...] = (
    Domain(
        key="fungi",
        rare=("eco_protection", "生态保护"),
        name="野生菌",
        keywords=(
            "野生菌",
            "食用菌",
            "菌塘",
            "mushroom",
            "fungi",
            "eco_protection",
            "logistics",
            "marketing",
        ),
        title_series="agri",
        depts=("食用菌研究所", "真菌资源研究团队", "林下经济研究室"),
        programme_hints=("expert", "production", "technician", "station", "workstation"),
        topics=(
            Topic(
                key="protect",
                keywords=("野生菌", "菌塘", "mushroom", "fungi", "eco_protection", "生态保护"),
                grammar={
                    "problem": (
                        "这几年{fungus}产量一年不如一年，村民上山抢采，小菇、童菇都被挖走，"
                        "菌塘破坏得厉害。",
                        "山上的{fungus}菌塘越来越少，老辈人说二十年前一场雨后能捡满一背篓，"
                        "现在要翻好几座山。",
                        "我们试着在林下仿生种植{fungus}，{#20-200}亩试验地连续两年出菇很少，"
                        "找不到原因。",
                        "村里成立了野生菌保护小组，可大家对封山育菌、轮采轮育这些做法心里没底。",
                        "{fungus}是全村最主要的现金收入，但乱采乱挖、松毛被耙光，菌塘一年比一年少。",
                    ),
                    "detail": (
                        "全村{#80-600}户人家，一半以上的现金收入靠捡菌子。",
                        "可以管护的林地大约{#800-12000}亩，以云南松和栎类混交林为主。",
                        "去年{fungus}收购量只有{#3-60}吨，比前年少了将近三成。",
                        "已经划了{#3-20}片菌塘做封育试点，还缺一套能坚持下去的管护办法。",
                    ),
                    "task": (
                        "指导{fungus}科学采收和菌塘保育",
                        "开展林下{fungus}仿生栽培试验",
                        "制定封山育菌和轮采轮育的办法",
                        "给采菌户讲清楚留种、不挖小菇的道理",
                        "调查菌塘分布并建立管护台账",
                        "改良林下{fungus}的菌根苗培育",
                    ),
                    "expert": (
                        "野生菌保育方面的专家",
                        "懂{fungus}仿生栽培的技术人员",
                        "搞食用菌研究的老师",
                        "有野外调查经验的真菌学者",
                    ),
                    "title": (
                        "{fungus}菌塘保育与科学采收指导",
                        "林下{fungus}仿生种植技术服务",
                        "野生菌保护促繁技术帮扶",
                        "{fungus}资源调查与封育试点",
                    ),
                },
            ),
            Topic(
                key="market",
                keywords=("野生菌", "mushroom", "冷链", "logistics", "marketing", "交易"),
                grammar={
                    "problem": (
                        "每到雨季，市场一天要进{#5-80}吨菌子，分级全凭眼力，收购价被压得很低。",
                        "菌子从山上到市场再运到昆明，路上一热就坏，损耗常常超过两成。",
                        "客商嫌我们的{fungus}大小不一、泥沙多，卖不上价，外地货反而比本地的贵。",
                        "市场里的冷库是前年建的，只有{#4-30}个库位，管理也跟不上，"
                        "去年还坏过一整库货。",
                    ),
                    "detail": (
                        "市场有固定摊位{#40-400}个，旺季日交易额能到{#30-900}万元。",
                        "周边{#300-5000}户菌农都把菌子送到这里卖。",
                        "{fungus}旺季从6月底持续到9月中旬，高峰期只有一个多月。",
                    ),
                    "task": (
                        "制定{fungus}分级标准并培训收购商",
                        "搭建产地预冷和冷链运输流程",
                        "指导冷库管理和保鲜包装",
                        "建立菌子质量追溯和检测制度",
                        "对接外地商超和出口企业",
                    ),
                    "expert": (
                        "熟悉野生菌分级和冷链物流的专家",
                        "懂保鲜加工的技术员",
                        "做过菌类商品化处理的老师",
                    ),
                    "title": (
                        "野生菌分级标准与冷链保鲜指导",
                        "{fungus}产地预冷和冷库管理",
                        "菌子交易市场规范化建设",
                    ),
                },
            ),
            Topic(
                key="food_safety",
                keywords=("food_safety", "食品安全", "毒菌鉴别"),
                licences=("tester",),
                grammar={
                    "problem": (
                        "雨季菌子上市，市场里混进过见手青、毒鹅膏这类有毒的菌子，"
                        "去年全县发生了{#2-9}起误食中毒。",
                        "市场只有一台快检箱，摊主送来的菌子没人会做食品安全检测，"
                        "有毒菌子全凭老人辨认。",
                        "菌子交易市场要创建食品安全示范市场，快检室、台账和抽检制度都还没建起来。",
                    ),
                    "detail": (
                        "市场旺季每天进场的菌子有{#5-80}吨，品种多达{#20-60}种。",
                        "市场快检室只有{#1-3}名兼职检测员，一天能检{#10-60}个样。",
                    ),
                    "task": (
                        "在菌子市场开展食品安全快检和毒菌鉴别",
                        "培训市场管理员和摊主识别有毒菌子",
                        "帮助市场建立食品安全抽检和追溯台账",
                        "指导快检室的仪器使用和检测记录",
                    ),
                    "expert": (
                        "懂食品安全检测的专家",
                        "会鉴别有毒野生菌的真菌学者",
                        "食品快检方面的技术人员",
                    ),
                    "title": (
                        "菌子市场食品安全检测",
                        "野生菌交易市场毒菌鉴别与食品安全快检",
                        "菌子上市季食品安全检测帮扶",
                    ),
                    "field": ("食品安全检测", "有毒野生菌鉴别", "食品快检"),
                },
            ),
        ),
        grammar={
            "season": ("雨季（6–9月）", "出菌高峰的7、8月", "6月第一场透雨之前", "雨季来临前"),
            "field": (
                "野生菌资源保护与利用",
                "食用菌栽培",
                "菌根真菌",
                "{fungus}仿生栽培",
                "野生菌保鲜与流通",
            ),
            "achieve": (
                "在南华、楚雄建过{#3-12}个{fungus}保育示范点，示范区产量提高了{#15-60}%",
                "参与制定了{fungus}分级地方标准",
                "写过一本给菌农看的《野生菌采收手册》，印了{#2-20*1000}册",
                "培训采菌户{#300-3000}人次",
            ),
        },
    ),
    Domain(
        key="health",
        rare=("medical_tech", "影像", "急诊"),
        name="农村卫生",
        keywords=("health.", "全科", "卫生", "医学", "内科", "妇产", "儿科", "中医", "急诊"),
        title_series="health",
        depts=("全科医学科", "心血管内科", "内分泌科", "妇产科", "儿科", "中医科", "急诊科"),
        programme_hints=("gp", "general_practi", "hospital", "health", "doctor", "counterpart"),
        topics=(
            Topic(
                key="gp",
                keywords=(
                    "全科",
                    "慢病",
                    "公共卫生",
                    "general_practice",
                    "internal_medicine",
                    "rural_health",
                    "public_health",
                ),
                licences=("physician", "assistant_physician"),
                grammar={
                    "problem": (
                        "卫生院只有{#2-6}名执业医生，门诊、住院、公卫一把抓，"
                        "高血压、糖尿病病人的随访常常跟不上。",
                        "辖区65岁以上老人{#600-4000}人，签了家庭医生，可实际上管不过来。",
                        "不少老人血压控制得不好，去年有{#3-12}例脑卒中送到县医院时已经晚了。",
                        "乡里痛风、慢阻肺的病人不少，我们对这些病的规范诊治心里没底。",
                        "年轻医生刚从学校出来，看常见病还行，遇到复杂一点的病人就只能转诊。",
                    ),
                    "detail": (
                        "卫生院编制床位{#10-60}张，去年门诊量约{#8-60*1000}人次。",
                        "辖区建档的高血压患者{#500-3000}人，糖尿病患者{#150-900}人。",
                        "最远的村委会离卫生院{#20-70}公里，下村随访一趟要一整天。",
                    ),
                    "task": (
                        "带教年轻医生规范诊治高血压和糖尿病",
                        "开展家庭医生签约服务培训",
                        "坐诊并指导慢病随访管理",
                        "理顺常见病、多发病的转诊流程",
                        "下村入户开展慢病筛查",
                        "指导心电图和基本检验结果的判读",
                    ),
                    "expert": (
                        "有经验的全科医生",
                        "内科或全科方向的上级医院医生",
                        "懂慢病管理的医生",
                        "县级以上医院的主治医生",
                    ),
                    "title": (
                        "慢病管理与全科诊疗帮带",
                        "全科医生驻点帮扶",
                        "乡镇卫生院全科坐诊",
                        "家庭医生签约服务能力提升",
                    ),
                },
            ),
            Topic(
                key="maternal",
                keywords=("妇幼", "妇产", "儿科", "孕产", "obstetric", "pediatric"),
                licences=("physician",),
                grammar={
                    "problem": (
                        "这里山高路远，孕妇产检要走{#15-60}公里山路，很多人快生了才来。",
                        "卫生院去年接生{#20-150}例，没有专职产科医生，遇到难产只能往县里转。",
                        "留守儿童多，儿童贫血和营养不良的比例偏高。",
                        "高危孕产妇筛出来了，后面的跟踪管理却总是断线。",
                    ),
                    "detail": (
                        "辖区育龄妇女约{#1000-6000}人，彝族群众占七成以上。",
                        "全乡0–6岁儿童{#400-2500}人，一半以上父母在外打工。",
                    ),
                    "task": (
                        "指导孕产妇系统管理和高危孕产妇筛查",
                        "培训助产和新生儿复苏",
                        "开展儿童保健和营养干预",
                        "带教妇产科常见病的诊治",
                    ),
                    "expert": ("妇产科医生", "儿科医生", "妇幼保健方向的专家"),
                    "title": (
                        "孕产妇和儿童健康管理帮扶",
                        "妇幼保健技术指导",
                        "助产技术与新生儿复苏培训",
                    ),
                },
            ),
            Topic(
                key="tcm",
                keywords=("中医", "彝医", "针灸", "health.tcm", "rehabilitation"),
                licences=("physician", "assistant_physician"),
                grammar={
                    "problem": (
                        "群众信中医、彝医，卫生院的中医馆刚建起来，能看病的只有一个人。",
                        "腰腿痛、风湿的老人很多，针灸推拿需求大，我们做不起来。",
                    ),
                    "detail": ("中医馆有诊室{#2-5}间，针灸床{#3-10}张。",),
                    "task": (
                        "开展针灸、推拿等中医适宜技术培训",
                        "整理彝医彝药的单方验方",
                        "指导中医馆规范运行",
                    ),
                    "expert": ("中医或彝医医生", "中医适宜技术的推广老师"),
                    "title": ("中医适宜技术推广", "彝医药传承与中医馆建设"),
                },
            ),
        ),
        grammar={
            "season": ("冬春季呼吸道疾病高发期", "春节前后外出务工人员返乡时", "下半年"),
            "field": ("全科医学", "基层慢病管理", "妇幼保健", "内科临床", "中医适宜技术"),
            "achieve": (
                "带教过{#5-60}名乡镇卫生院医生",
                "参加过{#2-8}批次医疗队下乡义诊",
                "牵头建过{#1-6}个县域慢病管理中心",
                "在核心期刊发表论文{#3-40}篇",
                "被评为云南省优秀基层医生",
            ),
        },
    ),
    Domain(
        key="teaching",
        rare=("special_education", "特殊教育"),
        name="乡村教育",
        keywords=("edu.", "教育", "教学", "教师", "双语"),
        title_series="teaching",
        depts=("教育学院", "教师发展中心", "外国语学院", "数学与统计学院", "民族学院"),
        programme_hints=("teacher", "mentor", "education", "sanzhi", "volunteer"),
        topics=(
            Topic(
                key="bilingual",
                keywords=("双语", "彝汉", "bilingual"),
                licences=("teacher",),
                grammar={
                    "problem": (
                        "学校{#60-98}%的学生是彝族，一年级孩子刚入学时很多听不懂普通话，跟不上课。",
                        "学前和低年级的双语衔接一直是短板，会说彝语的老师不多。",
                        "家长大多只会讲彝语，家校沟通很吃力。",
                    ),
                    "task": (
                        "上彝汉双语教学示范课",
                        "编写低年级彝汉双语识字材料",
                        "培训老师用彝语辅助讲解",
                    ),
                    "expert": ("彝汉双语教学经验丰富的老师", "懂彝文的语文老师"),
                    "title": ("彝汉双语教学示范", "低年级双语衔接教学帮扶"),
                },
            ),
            Topic(
                key="subject",
                keywords=(
                    "primary",
                    "secondary",
                    "arts_education",
                    "sports",
                    "it_education",
                    "小学",
                    "中学",
                ),
                licences=("teacher",),
                grammar={
                    "problem": (
                        "学校{subject}老师只有{#1-3}人，还都是转岗过来的，教学比较吃力。",
                        "去年全县质量监测，我们{subject}平均分排在后面。",
                        "学校开不齐课，{subject}只能由其他老师兼着上。",
                    ),
                    "task": (
                        "上{subject}示范课并带教青年教师",
                        "帮学校开齐开足{subject}课",
                        "指导毕业班{subject}复习备考",
                    ),
                    "expert": ("骨干{subject}老师", "有经验的{subject}教研员"),
                    "title": ("{subject}学科教学帮扶", "{subject}青年教师带教", "{subject}支教"),
                },
            ),
            Topic(
                key="mentor",
                keywords=("导师", "帮带", "教研", "mentoring", "rural_education"),
                licences=("teacher",),
                grammar={
                    "problem": (
                        "学校近三年新进特岗教师{#3-12}人，教学经验不足，课堂管理也是难题。",
                        "老师们忙于上课，校本教研基本停留在开会念文件。",
                    ),
                    "task": (
                        "结对帮带青年教师",
                        "指导校本教研和集体备课",
                        "听评课并提出改进意见",
                    ),
                    "expert": ("乡村教师导师", "教学名师", "有经验的教研员"),
                    "title": ("乡村教师导师团队帮带", "青年教师成长结对", "校本教研指导"),
                },
            ),
            Topic(
                key="counselling",
                keywords=("mental_health", "心理辅导", "心理健康"),
                grammar={
                    "problem": (
                        "学校{#40-80}%的学生是留守儿童，父母常年在外打工，"
                        "不少孩子孤僻、厌学，有的还有自伤的念头。",
                        "班主任发现留守儿童情绪问题越来越多，可学校没有一个懂心理辅导的老师。",
                        "学校建了心理咨询室，却一直空着，没人会做留守儿童心理辅导。",
                    ),
                    "task": (
                        "为留守儿童开展心理辅导和团体辅导",
                        "培训班主任识别和疏导学生的心理问题",
                        "帮学校把心理咨询室用起来，建立心理健康档案",
                        "对有心理危机的学生做个别心理咨询",
                    ),
                    "expert": (
                        "懂儿童心理辅导的老师",
                        "有心理咨询经验的专业人员",
                        "心理健康方面的专家",
                    ),
                    "title": (
                        "留守儿童心理辅导",
                        "乡村学校心理健康教育帮扶",
                        "留守儿童心理咨询与班主任培训",
                    ),
                    "field": ("儿童心理辅导", "心理健康教育", "青少年心理咨询"),
                    "achieve": (
                        "在{#3-12}所乡村学校开过留守儿童团体心理辅导",
                        "培训班主任心理疏导{#100-900}人次",
                    ),
                },
            ),
        ),
        grammar={
            "detail": (
                "全校{#80-1200}名学生，其中寄宿生{#40-600}人，教职工{#8-70}人。",
                "学校离县城{#20-110}公里，很多老师周末才能回家。",
                "{#3-9}个教学点分散在山上，最小的一个只有{#6-20}个孩子。",
            ),
            "season": ("秋季学期开学前", "春季学期", "新学年开学时"),
            "field": ("{subject}教学", "彝汉双语教育", "小学{subject}", "教师专业发展"),
            "achieve": (
                "带过的徒弟有{#4-30}人已成为县级骨干教师",
                "主持过{#1-5}项州级教研课题",
                "执教的示范课获过省级一等奖",
                "所带班级连续{#3-8}年在全县统测中名列前茅",
            ),
        },
    ),
    Domain(
        key="husbandry",
        rare=("aquaculture", "水产"),
        name="畜牧兽医",
        keywords=("livestock.", "畜牧", "兽医", "养殖", "疫病"),
        title_series="vet",
        depts=("动物科学技术学院", "动物医学院", "畜禽育种研究室"),
        programme_hints=("production", "technician", "professional", "farmer"),
        topics=(
            Topic(
                key="farming",
                keywords=("husbandry", "feed", "apiculture", "养殖", "饲料"),
                grammar={
                    "problem": (
                        "{#20-200}户养{animal}的农户还是老办法，出栏慢、成活率低。",
                        "合作社存栏{animal}{#200-3000}头（只），想扩大规模，"
                        "却缺懂饲料配方和圈舍设计的人。",
                        "粪污处理跟不上，养殖场周边群众意见很大。",
                    ),
                    "task": (
                        "指导{animal}圈舍改造和粪污资源化利用",
                        "开展{animal}品种改良和人工授精",
                        "调配饲料、推广青贮",
                        "帮合作社算清养殖成本",
                    ),
                    "expert": ("畜牧专家", "懂{animal}养殖的技术员", "畜牧师"),
                    "title": ("{animal}规模养殖技术指导", "{animal}品种改良与饲养管理"),
                },
            ),
            Topic(
                key="disease",
                keywords=("veterinary", "兽医", "疫病", "防疫"),
                licences=("vet",),
                grammar={
                    "problem": (
                        "去年冬春{animal}发生过一次疫情，死了{#20-300}头（只），"
                        "大家到现在还心有余悸。",
                        "村级防疫员年纪大了，免疫、消毒、采样很多不规范。",
                        "{animal}寄生虫病反复发作，用药全凭经验。",
                    ),
                    "task": (
                        "制定{animal}免疫程序和疫病防控方案",
                        "培训村级防疫员",
                        "开展疫病监测采样和诊断",
                    ),
                    "expert": ("执业兽医", "动物疫病防控专家", "兽医师"),
                    "title": ("{animal}疫病防控技术帮扶", "村级动物防疫员培训"),
                },
            ),
        ),
        grammar={
            "detail": (
                "全乡{animal}存栏约{#2-40*1000}头（只），是群众增收的主要来源之一。",
                "养殖户大多是五十岁以上的老人，年轻人都出去打工了。",
            ),
            "season": ("春秋两季集中免疫时", "冬春季疫病高发期", "补栏前"),
            "field": ("{animal}健康养殖", "动物疫病防控", "畜禽遗传育种", "饲料营养"),
            "achieve": (
                "推广{animal}舍饲技术，带动{#100-900}户增收",
                "参与过非洲猪瘟防控技术指导",
                "培训村级防疫员{#50-400}人次",
                "选育的{animal}新品系已在{#3-10}个县推广",
            ),
        },
    ),
    Domain(
        key="crops",
        rare=("tcm_herbs", "中药材"),
        name="种植业",
        keywords=(
            "agri.extension",
            "agri.crop",
            "agri.vegetable",
            "agri.fruit",
            "agri.tobacco",
            "agri.plant_protection",
            "agri.soil_fertilizer",
            "agri.disaster",
            "agri.irrigation",
            "agri.tcm_herbs",
            "env.forestry",
            "种植业",
            "农技推广",
        ),
        title_series="agri",
        depts=("园艺园林学院", "植物保护学院", "经济作物研究所", "园艺作物研究所"),
        programme_hints=("production", "technician", "professional", "farmer", "expert"),
        topics=(
            Topic(
                key="orchard",
                keywords=("agri.fruit", "env.forestry", "果树", "核桃", "花椒"),
                grammar={
                    "problem": (
                        "村里{#300-8000}亩{crop}大多是十几年的老树，挂果少、品质参差不齐。",
                        "{crop}树长得太高太密，修剪没人会，产量上不去。",
                        "去年一场倒春寒，{crop}减产将近{#20-60}%，大家想学抗灾减灾的办法。",
                    ),
                    "task": (
                        "指导{crop}提质增效和整形修剪",
                        "开展{crop}低产园改造",
                        "推广水肥一体化",
                    ),
                },
            ),
            Topic(
                key="field_crops",
                keywords=(
                    "agri.crop",
                    "agri.vegetable",
                    "agri.tobacco",
                    "agri.plant_protection",
                    "agri.soil_fertilizer",
                    "agri.extension",
                    "agri.disaster",
                    "蔬菜",
                ),
                grammar={
                    "problem": (
                        "{crop}病虫害年年有，农户打药凭感觉，有时打了也控不住。",
                        "我们想按绿色食品标准种{crop}，但施肥、用药记录都不规范。",
                        "{crop}价格好的时候大家一窝蜂种，卖不掉又烂在地里。",
                        "地越种越板结，{crop}产量这几年一直往下掉。",
                    ),
                    "task": (
                        "推广病虫害绿色防控和科学用药",
                        "开展测土配方施肥",
                        "建{crop}标准化示范区",
                        "培训新型职业农民",
                    ),
                },
            ),
        ),
        grammar={
            "detail": (
                "基地流转土地{#100-3000}亩，带动周边{#50-800}户群众务工。",
                "全乡{crop}种植面积约{#2-30*1000}亩，户均{#3-15}亩。",
                "示范园里有{#20-200}户参与，产量和价格都有记录。",
            ),
            "task": (
                "指导{crop}提质增效",
                "推广病虫害绿色防控",
                "开展测土配方施肥",
            ),
            "expert": ("{crop}栽培专家", "农技推广研究员", "懂{crop}的土专家", "植保专家"),
            "season": ("{crop_season}", "{crop_season}", "关键时节"),
            "title": (
                "{crop}提质增效技术指导",
                "{crop}病虫害绿色防控",
                "{crop}标准化种植示范",
                "{crop}关键时节技术服务",
            ),
            "field": ("{crop}栽培", "植物保护", "果树栽培", "蔬菜栽培", "农技推广"),
            "achieve": (
                "推广的{crop}丰产栽培技术累计应用{#1-60}万亩",
                "获过云南省科技进步三等奖",
                "每年到田间地头指导{#30-150}天",
                "培训农民{#500-5000}人次",
            ),
        },
    ),
    Domain(
        key="breeding",
        rare=("tech_transfer", "成果转化"),
        name="品种繁育",
        keywords=("agri.breeding", "品种繁育", "育种", "良种", "research_collab", "tech_transfer"),
        title_series="research",
        depts=("作物育种研究所", "种质资源中心", "生物技术研究所"),
        programme_hints=("expert", "station", "workstation", "phd", "blue"),
        topics=(
            Topic(
                key="seedling",
                keywords=("agri.breeding", "育苗", "种苗", "tech_transfer"),
                grammar={
                    "problem": (
                        "基地每年要育{crop}苗{#10-200}万株，嫁接成活率只有六成左右。",
                        "组培室建好了，污染率居高不下，快繁一直做不起来。",
                    ),
                    "task": ("指导{crop}嫁接育苗", "解决组培污染问题", "制定种苗质量标准"),
                },
            ),
            Topic(
                key="variety",
                keywords=("agri.breeding", "品种选育", "research_collab"),
                grammar={
                    "problem": (
                        "{crop}良种一直从外地调，适应不了我们这里{alt}米的海拔。",
                        "种薯带病严重、退化快，三年就得换一次种。",
                        "本地有几个老品种口感好，但没人系统整理过。",
                    ),
                    "task": (
                        "开展{crop}良种选育和提纯复壮",
                        "建立本地种质资源圃",
                        "推广脱毒种苗繁育",
                    ),
                },
            ),
        ),
        grammar={
            "detail": ("基地有育苗大棚{#4-60}个，年供苗能力{#20-500}万株。",),
            "expert": ("育种专家", "种苗繁育技术人员", "做品种选育的研究员"),
            "season": ("春季育苗前", "{crop_season}"),
            "title": ("{crop}良种繁育技术合作", "种苗嫁接与组培快繁指导", "{crop}品种选育"),
            "field": ("{crop}育种", "种质资源", "植物组织培养", "种苗繁育"),
            "achieve": (
                "选育过{#1-5}个{crop}新品种并通过省级审定",
                "建成{#1-4}个种质资源圃",
                "主持国家自然科学基金项目{#1-3}项",
            ),
        },
    ),
    Domain(
        key="testing",
        rare=("env.monitoring", "环境监测"),
        name="农产品检测",
        keywords=("agri.testing", "农产品检测", "农残", "env.monitoring"),
        title_series="eng",
        depts=("食品科学技术学院", "农产品质量安全研究所", "分析测试中心"),
        programme_hints=("expert", "technician", "production"),
        topics=(
            Topic(
                key="lab",
                keywords=("agri.testing", "农残", "检测", "monitoring"),
                licences=("tester",),
                grammar={
                    "problem": (
                        "中心去年添了气相色谱仪，会用的人只有{#1-2}个，很多项目开展不起来。",
                        "农残快检每天要做{#20-200}个样，遇到阳性没有能力复检确证。",
                        "我们要申请资质认定（CMA），内审、质控文件都还没弄起来。",
                        "出口{product}要做重金属和农残检测，只能送到昆明，一等就是一周。",
                    ),
                    "task": (
                        "开展农药残留检测方法培训",
                        "指导仪器操作和日常维护",
                        "帮助实验室建立质量体系、通过资质认定",
                        "开展{product}的农残和重金属检测",
                    ),
                },
            ),
        ),
        grammar={
            "detail": ("中心有检测人员{#3-12}人，去年完成检测样品{#2-20*1000}批次。",),
            "expert": ("农产品质量安全检测专家", "熟悉色谱质谱分析的技术人员", "检测工程师"),
            "season": ("上市高峰前", "雨季菌子上市前"),
            "title": ("农残检测能力提升", "检测实验室资质认定指导", "农产品质量安全检测培训"),
            "field": ("农产品质量安全", "农药残留分析", "食品检测"),
            "achieve": (
                "建立的快检方法在全省{#10-80}个检测站使用",
                "指导过{#2-10}家实验室通过资质认定",
            ),
        },
    ),
    Domain(
        key="elderly",
        rare=("rehabilitation", "康复"),
        name="养老服务",
        keywords=("elderly.", "养老", "health.nursing", "health.rehabilitation"),
        title_series="nursing",
        depts=("老年医学科", "康复医学科", "护理学院"),
        programme_hints=("elder", "care", "professional", "training"),
        topics=(
            Topic(
                key="care",
                keywords=("elderly.", "养老", "护理", "nursing", "rehabilitation"),
                licences=("eldercare", "nurse"),
                grammar={
                    "problem": (
                        "院里住着{#30-240}位老人，半失能、失能的占了一半，护理员只有{#4-20}个，"
                        "都是附近村里的大姐。",
                        "护理员没经过系统培训，翻身、喂食、防褥疮都是边干边学。",
                        "作为养老服务实训基地，我们想把培训办起来，但缺懂课程设计的老师。",
                        "不少老人有高血压、糖尿病，院里没有医生，医养结合只停留在纸面上。",
                    ),
                    "task": (
                        "开展养老护理员实训",
                        "指导失能老人照护和康复训练",
                        "理顺医养结合服务流程",
                        "建立老年人能力评估制度",
                    ),
                },
            ),
        ),
        grammar={
            "detail": ("院里有床位{#50-400}张，入住率约{#40-90}%。",),
            "expert": ("养老护理培训师", "老年医学或康复方向的专业人员", "有经验的护理师"),
            "season": ("年内", "冬季"),
            "title": ("养老护理员实训", "失能老人照护技术指导", "养老服务实训基地建设"),
            "field": ("老年护理", "康复护理", "养老机构管理"),
            "achieve": (
                "培训养老护理员{#100-1500}人",
                "参与编写养老护理员实训教材",
                "在三甲医院老年科做了{#10-30}年护理",
            ),
        },
    ),
    Domain(
        key="ecommerce",
        name="电子商务与物流",
        keywords=("rural.ecommerce", "rural.logistics", "rural.marketing", "电子商务", "农村物流"),
        title_series="econ",
        depts=("电子商务学院", "经济管理学院", "物流研究中心"),
        programme_hints=("farmer", "entit", "enterprise", "return"),
        topics=(
            Topic(
                key="online",
                keywords=("ecommerce", "marketing", "电商", "品牌", "直播"),
                grammar={
                    "problem": (
                        "村里的{product}品质好，就是只能等客商上门收，价格由不得自己。",
                        "合作社开了网店，一个月才几十单，不会拍图、写文案，更不会做直播。",
                        "年轻人想回来做电商，可没人带，摸索了一年都没起色。",
                    ),
                    "task": (
                        "开展网店运营和直播带货培训",
                        "设计{product}的包装和品牌",
                        "对接城市商超和社区团购",
                    ),
                },
            ),
            Topic(
                key="logistics",
                keywords=("logistics", "物流", "快递"),
                grammar={
                    "problem": (
                        "快递到村里要转两三次，一件货的运费比{product}还贵。",
                        "旺季货发不出去，淡季车又跑空，物流成本压得大家喘不过气。",
                    ),
                    "task": ("规划村级物流站点和共同配送", "优化县乡村三级物流线路"),
                },
            ),
        ),
        grammar={
            "detail": (
                "全镇有电商服务站{#3-20}个，去年网络零售额{#50-900}万元。",
                "合作社社员{#30-300}户，主打{product}。",
            ),
            "expert": ("做过农产品电商的人", "电商运营讲师", "懂农村物流的专业人员"),
            "season": ("{product}上市前", "“双十一”之前"),
            "title": ("{product}电商销售指导", "农村电商与物流体系建设", "直播带货培训"),
            "field": ("农村电子商务", "农产品营销", "冷链物流", "品牌策划"),
            "achieve": (
                "帮{#3-30}个合作社开了网店",
                "做过的{product}直播单场卖出{#1-30*1000}单",
                "培训电商从业人员{#200-3000}人次",
            ),
        },
    ),
    Domain(
        key="planning",
        rare=("build.energy", "农村能源"),
        name="乡村规划与环境整治",
        keywords=("build.", "env.remediation", "乡村规划", "环境整治"),
        title_series="eng",
        depts=("建筑与城市规划学院", "环境科学与工程学院", "生态与环境学院"),
        programme_hints=("professional", "expert"),
        topics=(
            Topic(
                key="plan",
                keywords=("rural_planning", "build.construction", "村庄规划", "农房"),
                licences=("planner",),
                grammar={
                    "problem": (
                        "村里要编实用性村庄规划，乡里没有一个学规划的人。",
                        "老村里的土掌房有些年头了，想保护下来，又不知道该怎么改造。",
                        "新房建得乱，路窄到消防车都进不去。",
                    ),
                    "task": ("编制实用性村庄规划", "开展传统村落和土掌房保护利用", "设计农房风貌"),
                },
            ),
            Topic(
                key="env",
                keywords=("remediation", "water_supply", "build.energy", "人居环境", "污水"),
                grammar={
                    "problem": (
                        "生活污水直排进河沟，夏天味道很大。",
                        "垃圾收运靠一辆三轮车，{#200-1500}户人家的垃圾常常堆在路边。",
                        "改厕做了，可后续管护没人管，有些户又用回了旱厕。",
                    ),
                    "task": (
                        "设计农村生活污水处理方案",
                        "建立垃圾分类和收运体系",
                        "指导改厕后续管护",
                    ),
                },
            ),
        ),
        grammar={
            "detail": ("村委会下辖{#4-14}个自然村，{#300-2000}户人家，居住分散。",),
            "expert": ("规划设计人员", "环境工程专业人员", "懂乡村建设的工程师"),
            "season": ("雨季前", "年内"),
            "title": ("实用性村庄规划编制", "农村人居环境整治指导", "生活污水治理方案设计"),
            "field": ("乡村规划", "环境工程", "人居环境整治", "传统村落保护"),
            "achieve": ("主持编制过{#5-40}个村庄规划", "设计的污水处理方案在{#3-20}个村落地"),
        },
    ),
    Domain(
        key="tourism",
        rare=("culture.media", "新闻宣传"),
        name="文化旅游",
        keywords=(
            "culture.tourism",
            "culture.yi_heritage",
            "culture.embroidery",
            "culture.media",
            "文化旅游",
            "彝族文化",
            "彝绣",
        ),
        title_series="culture",
        depts=("旅游文化学院", "民族学院", "彝族文化研究院"),
        programme_hints=("return", "craft", "entit"),
        topics=(
            Topic(
                key="yi_culture",
                keywords=("yi_heritage", "embroidery", "非遗", "彝绣", "彝族文化"),
                grammar={
                    "problem": (
                        "我们是彝族聚居村，火把节、左脚舞、彝绣都有，可游客来了没地方住、"
                        "没东西买。",
                        "彝绣手艺好的都是五六十岁的妇女，年轻人不愿学，花样也老了。",
                        "村里的毕摩文化、古歌古调没人系统记录，老人一走就失传了。",
                    ),
                    "task": ("开发彝绣文创产品", "挖掘整理彝族文化资源", "培训彝绣传承人"),
                },
            ),
            Topic(
                key="rural_tourism",
                keywords=("culture.tourism", "culture.media", "民宿", "乡村旅游"),
                licences=("guide",),
                grammar={
                    "problem": (
                        "村里想搞民宿，不懂设计，也不懂经营。",
                        "每年火把节游客挤满了，平时却冷冷清清。",
                    ),
                    "task": ("策划乡村旅游线路", "培训民宿经营和接待", "设计研学旅游产品"),
                },
            ),
        ),
        grammar={
            "detail": ("全村{#100-600}户，彝族占{#70-99}%，有{#10-80}名绣娘。",),
            "expert": ("文旅策划人员", "彝族文化研究者", "做过乡村旅游的人"),
            "season": ("火把节（农历六月二十四）前", "旅游旺季前"),
            "title": ("彝族文化旅游策划", "彝绣文创产品开发", "乡村民宿经营培训"),
            "field": ("彝族文化", "乡村旅游", "民族工艺", "文旅策划"),
            "achieve": ("策划的火把节活动吸引游客{#2-30}万人次", "带出绣娘{#20-300}人"),
        },
    ),
    Domain(
        key="processing",
        name="农产品加工",
        keywords=("agri.processing", "农产品加工", "tech_transfer"),
        title_series="eng",
        depts=("食品科学技术学院", "农产品加工研究所"),
        programme_hints=("entit", "enterprise", "farmer", "phd", "blue"),
        topics=(
            Topic(
                key="process",
                keywords=("agri.processing", "加工", "tech_transfer"),
                grammar={
                    "problem": (
                        "每年{product}集中上市，卖不完只能低价处理。",
                        "小作坊做的{product}，卫生条件达不到食品生产许可（SC）的要求。",
                        "我们做的{product}保质期只有{#7-60}天，出不了省。",
                    ),
                    "task": (
                        "改进{product}加工工艺",
                        "指导申请食品生产许可（SC）",
                        "开展产品研发和保质期试验",
                    ),
                },
            ),
        ),
        grammar={
            "detail": ("加工厂年加工能力{#200-5000}吨，实际只用了不到一半。",),
            "expert": ("食品加工工程师", "农产品加工专家"),
            "season": ("{product}上市前", "采收季前"),
            "title": ("{product}加工工艺改进", "农产品精深加工技术合作"),
            "field": ("农产品加工", "食品工程", "果蔬贮藏保鲜"),
            "achieve": ("开发的{product}新产品年销售{#100-3000}万元", "获得发明专利{#1-8}项"),
        },
    ),
    Domain(
        key="management",
        rare=("rural.finance", "农村金融"),
        name="农村事务管理",
        keywords=(
            "rural.affairs",
            "rural.agri_manager",
            "rural.cooperative",
            "rural.finance",
            "rural.new_farmer_training",
            "sci.entrepreneurship",
            "农村事务管理",
            "合作社",
        ),
        title_series="econ",
        depts=("经济管理学院", "农村发展研究所"),
        programme_hints=("farmer", "entit", "professional", "veteran", "return"),
        topics=(
            Topic(
                key="coop",
                keywords=("rural.", "entrepreneurship", "合作社", "经理人"),
                grammar={
                    "problem": (
                        "合作社有社员{#30-400}户，账目还是手写的，分红说不清楚。",
                        "村集体经济底子薄，想找个产业项目，不知道从哪里下手。",
                        "这两年回来了几个年轻人想创业，缺人带他们做项目、跑手续。",
                    ),
                    "task": (
                        "规范合作社财务和分红",
                        "帮村集体经济做发展规划",
                        "开展农业职业经理人培训",
                        "辅导返乡青年创业",
                    ),
                },
            ),
        ),
        grammar={
            "detail": ("村集体去年经营性收入只有{#1-9}万元。",),
            "expert": ("懂合作社经营的人", "农业职业经理人", "熟悉农村财务的专业人员"),
            "season": ("年底分红前", "年内"),
            "title": ("合作社规范化经营指导", "村集体经济发展帮扶", "返乡创业辅导"),
            "field": ("合作社经营管理", "农村财务", "农业创业"),
            "achieve": ("辅导过{#5-40}家合作社规范运营", "自己创办的合作社带动{#50-500}户"),
        },
    ),
)

DOMAIN_BY_KEY: dict[str, Domain] = {d.key: d for d in DOMAINS}
