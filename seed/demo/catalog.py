"""Fixed catalogues the generator draws from: institutions, site archetypes, and the
keyword maps that tie the generator's own keys to the reference data's codes."""

from __future__ import annotations

from dataclasses import dataclass

KUNMING = (25.04, 102.71)
SHANGHAI = (31.21, 121.46)
CHUXIONG_CITY = (25.03, 101.55)


@dataclass(frozen=True, slots=True)
class InstitutionSpec:
    name: str
    kind: str  # hospital3 | university | research | pref_inst | soe | private | social
    county: str | None  # two-character county key (e.g. "楚雄"), None outside the prefecture
    lat: float
    lon: float
    domains: tuple[str, ...]


INSTITUTIONS: tuple[InstitutionSpec, ...] = (
    InstitutionSpec("云南省第一人民医院", "hospital3", None, 25.032, 102.695, ("health",)),
    InstitutionSpec("云南省第二人民医院", "hospital3", None, 25.048, 102.702, ("health",)),
    InstitutionSpec("昆明医科大学第一附属医院", "hospital3", None, 25.031, 102.687, ("health",)),
    InstitutionSpec("昆明医科大学", "university", None, 25.072, 102.693, ("health", "elderly")),
    InstitutionSpec("楚雄州人民医院", "hospital3", "楚雄", 25.036, 101.547, ("health", "elderly")),
    InstitutionSpec("楚雄州中医医院", "hospital3", "楚雄", 25.041, 101.542, ("health",)),
    InstitutionSpec(
        "上海交通大学医学院附属瑞金医院", "hospital3", None, 31.212, 121.468, ("health",)
    ),
    InstitutionSpec("复旦大学附属中山医院", "hospital3", None, 31.199, 121.449, ("health",)),
    InstitutionSpec("上海市第六人民医院", "hospital3", None, 31.176, 121.424, ("health",)),
    InstitutionSpec(
        "云南农业大学",
        "university",
        None,
        25.133,
        102.750,
        ("crops", "husbandry", "fungi", "breeding", "processing", "testing", "ecommerce"),
    ),
    InstitutionSpec(
        "西南林业大学", "university", None, 25.063, 102.761, ("fungi", "planning", "tourism")
    ),
    InstitutionSpec(
        "楚雄医药高等专科学校", "university", "楚雄", 25.050, 101.560, ("health", "elderly")
    ),
    InstitutionSpec(
        "楚雄师范学院", "university", "楚雄", 25.022, 101.533, ("teaching", "tourism", "ecommerce")
    ),
    InstitutionSpec("云南师范大学", "university", None, 25.055, 102.704, ("teaching",)),
    InstitutionSpec(
        "昆明理工大学", "university", None, 24.852, 102.860, ("planning", "processing", "testing")
    ),
    InstitutionSpec(
        "云南财经大学", "university", None, 25.070, 102.738, ("ecommerce", "management")
    ),
    InstitutionSpec(
        "云南省农业科学院",
        "research",
        None,
        25.135,
        102.745,
        ("crops", "breeding", "testing", "processing"),
    ),
    InstitutionSpec(
        "中国科学院昆明植物研究所", "research", None, 25.140, 102.741, ("fungi", "breeding")
    ),
    InstitutionSpec("云南省林业和草原科学院", "research", None, 25.067, 102.764, ("fungi",)),
    InstitutionSpec("云南省畜牧兽医科学院", "research", None, 25.118, 102.770, ("husbandry",)),
    InstitutionSpec(
        "楚雄州农业科学院", "research", "楚雄", 25.012, 101.520, ("crops", "breeding", "fungi")
    ),
    InstitutionSpec(
        "楚雄州农业技术推广中心", "pref_inst", "楚雄", 25.040, 101.535, ("crops", "testing")
    ),
    InstitutionSpec("楚雄州畜牧兽医站", "pref_inst", "楚雄", 25.038, 101.551, ("husbandry",)),
    InstitutionSpec(
        "中国邮政集团有限公司楚雄州分公司", "soe", "楚雄", 25.034, 101.545, ("ecommerce",)
    ),
    InstitutionSpec("云南省烟草公司楚雄州公司", "soe", "楚雄", 25.028, 101.551, ("crops",)),
    InstitutionSpec(
        "云南农垦集团有限责任公司", "soe", None, 25.043, 102.721, ("crops", "processing")
    ),
    InstitutionSpec(
        "楚雄彝山菌业有限公司", "private", "南华", 25.192, 101.274, ("fungi", "processing")
    ),
    InstitutionSpec(
        "南华野生菌电子商务有限公司", "private", "南华", 25.195, 101.280, ("ecommerce", "fungi")
    ),
    InstitutionSpec(
        "大姚核桃产业开发有限公司", "private", "大姚", 25.723, 101.325, ("processing", "crops")
    ),
    InstitutionSpec("永仁金沙江果业有限公司", "private", "永仁", 26.057, 101.671, ("crops",)),
    InstitutionSpec(
        "元谋绿源蔬菜科技有限公司", "private", "元谋", 25.704, 101.875, ("crops", "testing")
    ),
    InstitutionSpec(
        "武定壮鸡养殖开发有限公司", "private", "武定", 25.530, 102.404, ("husbandry", "processing")
    ),
    InstitutionSpec("禄丰规划建筑设计有限公司", "private", "禄丰", 25.150, 102.079, ("planning",)),
    InstitutionSpec("云南康乐养老服务有限公司", "private", None, 25.021, 102.722, ("elderly",)),
    InstitutionSpec(
        "楚雄州彝族文化研究会", "social", "楚雄", 25.030, 101.540, ("tourism", "teaching")
    ),
    InstitutionSpec(
        "楚雄州农村专业技术协会", "social", "楚雄", 25.035, 101.548, ("crops", "husbandry")
    ),
    InstitutionSpec("楚雄州青年志愿者协会", "social", "楚雄", 25.033, 101.541, ("teaching",)),
    InstitutionSpec(
        "上海市青年志愿者协会", "social", None, 31.228, 121.475, ("teaching", "elderly")
    ),
)

INSTITUTION_KIND_KEYWORDS: dict[str, tuple[str, ...]] = {
    "hospital3": ("三级医院", "医院", "hospital"),
    "university": ("高校", "大学", "院校", "学校", "university"),
    "research": ("科研", "研究", "research"),
    "soe": ("国企", "国有", "state"),
    "private": ("民营", "私营", "企业", "private", "company"),
    "social": ("社会组织", "协会", "社会", "social", "ngo"),
    "pref_inst": ("州级事业单位", "事业单位", "科研院所", "研究"),
}


@dataclass(frozen=True, slots=True)
class SiteArchetype:
    key: str
    names: tuple[str, ...]  # {county}{township}{village}{crop}{animal}{product}{fruit}
    type_keywords: tuple[str, ...]  # to find the site type code in the reference data
    domains: tuple[tuple[str, int], ...]  # (domain key, weight)
    weight: int
    county_level: bool = False  # one per county, named after the county only
    topic_hint: str | None = None


SITE_ARCHETYPES: tuple[SiteArchetype, ...]
SITE_ARCHETYPES = (
    SiteArchetype(
        "health_centre",
        ("{county}{township}卫生院", "{county}{township}中心卫生院"),
        ("卫生院", "医疗", "卫生"),
        (("health", 8), ("elderly", 1)),
        14,
    ),
    SiteArchetype(
        "county_hospital",
        ("{county}人民医院", "{county}中医医院", "{county}妇幼保健院"),
        ("医院", "卫生院", "医疗"),
        (("health", 1),),
        3,
        county_level=True,
    ),
    SiteArchetype(
        "school",
        (
            "{county}{township}中心小学",
            "{county}{township}中学",
            "{county}{township}{village}小学",
            "{county}{township}民族中学",
        ),
        ("学校", "小学", "中学", "教育"),
        (("teaching", 1),),
        14,
    ),
    SiteArchetype(
        "elderly_home",
        ("{county}{township}敬老院", "{county}{township}养老服务中心", "{county}老年护理院"),
        ("养老", "护理院", "敬老院"),
        (("elderly", 6), ("health", 1)),
        5,
    ),
    SiteArchetype(
        "fungi_market",
        ("{county}野生菌交易市场", "{county}{township}野生菌交易市场"),
        ("交易市场", "市场"),
        (("fungi", 5), ("ecommerce", 2), ("testing", 1)),
        4,
        topic_hint="market|food_safety",
    ),
    SiteArchetype(
        "fungi_base",
        ("{county}{township}野生菌种植保护基地", "{county}{township}{fungus}保护基地"),
        ("野生菌", "种植保护"),
        (("fungi", 1),),
        5,
        topic_hint="protect",
    ),
    SiteArchetype(
        "breeding_base",
        ("{county}{crop}品种繁育基地", "{county}{township}良种繁育场"),
        ("繁育", "育种"),
        (("breeding", 4), ("crops", 1)),
        5,
    ),
    SiteArchetype(
        "veg_base",
        ("{county}{township}绿色蔬菜基地", "{county}{township}冬早蔬菜示范基地"),
        ("蔬菜", "种植基地"),
        (("crops", 4), ("testing", 1)),
        5,
    ),
    SiteArchetype(
        "fruit_base",
        ("{county}{township}{crop}种植基地", "{county}{township}生态水果基地"),
        ("水果", "果"),
        (("crops", 4), ("processing", 1)),
        5,
    ),
    SiteArchetype(
        "testing_centre",
        ("{county}农产品质量安全检测中心", "{county}{township}农产品检测站"),
        ("检测",),
        (("testing", 1),),
        3,
    ),
    SiteArchetype(
        "township_gov",
        ("{county}{township}人民政府", "{county}{township}农业农村综合服务中心"),
        ("乡镇政府", "政府", "乡镇"),
        (("management", 2), ("planning", 2), ("crops", 2), ("husbandry", 1)),
        8,
    ),
    SiteArchetype(
        "vet_station",
        ("{county}{township}畜牧兽医站", "{county}{township}{animal}养殖专业合作社"),
        ("畜牧", "兽医", "养殖"),
        (("husbandry", 1),),
        6,
    ),
    SiteArchetype(
        "coop",
        ("{county}{township}{product}专业合作社", "{county}{township}{village}{product}合作社"),
        ("合作社", "经营主体", "企业"),
        (("management", 2), ("ecommerce", 2), ("processing", 1)),
        6,
    ),
    SiteArchetype(
        "ecommerce_station",
        ("{county}电子商务公共服务中心", "{county}{township}电商服务站"),
        ("电商", "电子商务", "物流", "乡镇事业单位", "事业单位"),
        (("ecommerce", 1),),
        3,
    ),
    SiteArchetype(
        "village",
        ("{county}{township}{village}村委会",),
        ("村委会", "村"),
        (("planning", 2), ("tourism", 1), ("management", 1)),
        6,
    ),
    SiteArchetype(
        "tourism",
        ("{county}{township}{village}彝族文化旅游村", "{county}{township}彝绣传习所"),
        ("旅游", "文化"),
        (("tourism", 1),),
        3,
    ),
    SiteArchetype(
        "processing_plant",
        ("{county}{product}加工厂", "{county}{township}{product}加工厂"),
        ("加工", "企业", "工厂"),
        (("processing", 3), ("testing", 1)),
        3,
    ),
)

SITE_ARCHETYPES += (
    SiteArchetype(
        "kindergarten",
        ("{county}{township}中心幼儿园", "{county}{township}{village}幼儿园"),
        ("幼儿园",),
        (("teaching", 1),),
        3,
    ),
    SiteArchetype(
        "village_clinic",
        ("{county}{township}{village}村卫生室",),
        ("村卫生室",),
        (("health", 1),),
        4,
    ),
    SiteArchetype(
        "agri_station",
        ("{county}{township}农业农村综合服务中心", "{county}{township}农业技术推广站"),
        ("农业技术推广站", "推广站"),
        (("crops", 4), ("husbandry", 2), ("management", 1)),
        5,
    ),
    SiteArchetype(
        "workstation",
        ("{county}{crop}专家基层科研工作站", "{county}{township}院士专家工作站"),
        ("工作站",),
        (("breeding", 2), ("crops", 2), ("fungi", 1), ("processing", 1)),
        2,
    ),
    SiteArchetype(
        "vocational_school",
        ("{county}职业高级中学", "{county}民族职业中学"),
        ("职业中学", "职业"),
        (("teaching", 2), ("ecommerce", 1), ("elderly", 1)),
        2,
        county_level=True,
    ),
    SiteArchetype(
        "elderly_training",
        ("{county}老年护理院养老服务人才实训基地",),
        ("实训基地",),
        (("elderly", 1),),
        1,
        county_level=True,
    ),
)

SITE_KIND_WORDS: dict[str, str] = {
    "kindergarten": "幼儿园",
    "village_clinic": "村卫生室",
    "agri_station": "服务中心",
    "workstation": "工作站",
    "vocational_school": "学校",
    "elderly_training": "实训基地",
    "health_centre": "卫生院",
    "county_hospital": "医院",
    "school": "学校",
    "elderly_home": "养老机构",
    "fungi_market": "交易市场",
    "fungi_base": "基地",
    "breeding_base": "繁育基地",
    "veg_base": "基地",
    "fruit_base": "基地",
    "testing_centre": "检测站",
    "township_gov": "乡镇",
    "vet_station": "站",
    "coop": "合作社",
    "ecommerce_station": "服务站",
    "village": "村委会",
    "tourism": "村",
    "processing_plant": "厂",
}

# Village-name syllables (many Chuxiong village names are Yi words in Chinese letters).
VILLAGE_FIRST = "者大小上下新老麦石松龙马岔旧白黑青竹核法拉咪么己苴"
VILLAGE_SECOND = "甸村冲箐坝么苴拉乐厂哨河山坪塘窝所营街"

# The demo generator's talent-category keys and the Chinese words that find them in the
# reference data.
# Order matters: 退休专技人员 must be tried before 专业技术人员.
CATEGORY_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("retired", ("退休",)),
    ("volunteer", ("三支一扶", "志愿者")),
    ("teacher", ("特岗",)),
    ("gp", ("全科",)),
    ("phd", ("蓝火", "博士")),
    ("returnee", ("返乡", "回巢")),
    ("veteran", ("退役", "军人")),
    ("craftsman", ("能工巧匠", "土专家", "田秀才", "乡土")),
    ("professional", ("专业技术", "专技")),
    ("expert", ("专家",)),
)
CATEGORY_KEYS: tuple[str, ...] = tuple(k for k, _ in CATEGORY_KEYWORDS)

LICENCE_KEYWORDS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    # key, words that must occur (any), words that must not
    ("assistant_physician", ("助理医师",), ()),
    ("physician", ("执业医师", "医师资格", "physician"), ("助理", "乡村", "兽医")),
    ("village_doctor", ("乡村医生",), ()),
    ("nurse", ("护士",), ()),
    ("teacher", ("教师资格", "教师"), ()),
    ("vet", ("兽医",), ()),
    ("eldercare", ("养老护理", "护理员"), ()),
    ("tester", ("检测", "检验"), ()),
    ("planner", ("规划",), ()),
    ("guide", ("导游",), ()),
)

LANGUAGE_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("mandarin", ("普通话", "汉语", "mandarin", "chinese")),
    ("yi", ("彝语", "彝", "nuosu")),
    ("yi_han", ("彝汉双语", "bilingual")),
    ("english", ("英语", "english")),
)

OUTSIDE_CITIES: dict[str, tuple[float, float]] = {
    "昆明": KUNMING,
    "上海": SHANGHAI,
}
