"""Made-up people for demo records: Chinese names with pinyin (surnames weighted as in
Yunnan, including those Yi families in 楚雄 often carry), mobile numbers, e-mail addresses
on reserved example domains and well-formed 居民身份证号码."""

from __future__ import annotations

import random
from dataclasses import dataclass

from seed.demo.grammar import pick

# (surname, pinyin, weight): common Han surnames of Yunnan and the Chinese surnames Yi
# families in Chuxiong often carry (普, 罗, 杞, 者, 自, 鲁, 毕, 起, 施, 苏…).
SURNAMES: tuple[tuple[str, str, int], ...] = (
    ("李", "li", 30),
    ("杨", "yang", 20),
    ("张", "zhang", 18),
    ("王", "wang", 14),
    ("罗", "luo", 12),
    ("普", "pu", 10),
    ("刘", "liu", 9),
    ("陈", "chen", 9),
    ("赵", "zhao", 7),
    ("字", "zi", 4),
    ("者", "zhe", 4),
    ("杞", "qi", 4),
    ("自", "zi", 4),
    ("鲁", "lu", 4),
    ("毕", "bi", 3),
    ("起", "qi", 3),
    ("施", "shi", 4),
    ("苏", "su", 4),
    ("周", "zhou", 5),
    ("段", "duan", 4),
    ("何", "he", 5),
    ("马", "ma", 4),
    ("杜", "du", 3),
    ("龙", "long", 3),
    ("钱", "qian", 2),
    ("黄", "huang", 4),
    ("吴", "wu", 3),
    ("沈", "shen", 2),
    ("徐", "xu", 3),
    ("孙", "sun", 3),
    ("朱", "zhu", 3),
    ("高", "gao", 3),
    ("夏", "xia", 2),
    ("卜", "bu", 1),
    ("常", "chang", 2),
    ("殷", "yin", 1),
    ("皇甫", "huangfu", 1),
)
_SURNAME_WEIGHTS = [w for _, _, w in SURNAMES]
_SURNAME_CUM: list[int] = []
_acc = 0
for _w in _SURNAME_WEIGHTS:
    _acc += _w
    _SURNAME_CUM.append(_acc)

GIVEN_MALE: tuple[tuple[str, str], ...] = (
    ("文", "wen"),
    ("学", "xue"),
    ("发", "fa"),
    ("兴", "xing"),
    ("明", "ming"),
    ("国", "guo"),
    ("忠", "zhong"),
    ("德", "de"),
    ("华", "hua"),
    ("荣", "rong"),
    ("春", "chun"),
    ("林", "lin"),
    ("志", "zhi"),
    ("强", "qiang"),
    ("军", "jun"),
    ("勇", "yong"),
    ("成", "cheng"),
    ("海", "hai"),
    ("龙", "long"),
    ("宏", "hong"),
    ("伟", "wei"),
    ("斌", "bin"),
    ("刚", "gang"),
    ("平", "ping"),
    ("云", "yun"),
    ("福", "fu"),
    ("贵", "gui"),
    ("万", "wan"),
    ("有", "you"),
    ("正", "zheng"),
    ("浩", "hao"),
    ("宇", "yu"),
    ("俊", "jun"),
    ("鹏", "peng"),
    ("涛", "tao"),
    ("昌", "chang"),
    ("开", "kai"),
    ("顺", "shun"),
    ("金", "jin"),
    ("树", "shu"),
)
GIVEN_FEMALE: tuple[tuple[str, str], ...] = (
    ("芳", "fang"),
    ("丽", "li"),
    ("秀", "xiu"),
    ("英", "ying"),
    ("兰", "lan"),
    ("梅", "mei"),
    ("艳", "yan"),
    ("琼", "qiong"),
    ("萍", "ping"),
    ("红", "hong"),
    ("燕", "yan"),
    ("霞", "xia"),
    ("娟", "juan"),
    ("敏", "min"),
    ("静", "jing"),
    ("婷", "ting"),
    ("雪", "xue"),
    ("玉", "yu"),
    ("珍", "zhen"),
    ("凤", "feng"),
    ("莲", "lian"),
    ("花", "hua"),
    ("慧", "hui"),
    ("琳", "lin"),
    ("佳", "jia"),
    ("晓", "xiao"),
    ("月", "yue"),
    ("娜", "na"),
    ("蓉", "rong"),
    ("琴", "qin"),
)


@dataclass(frozen=True, slots=True)
class PersonName:
    name: str
    pinyin: str
    female: bool


def person_name(rng: random.Random, *, female: bool | None = None) -> PersonName:
    if female is None:
        female = rng.random() < 0.45
    r = rng.random() * _acc
    i = 0
    while _SURNAME_CUM[i] <= r:
        i += 1
    surname, sp, _ = SURNAMES[i]
    pool = GIVEN_FEMALE if female else GIVEN_MALE
    first, fp = pick(rng, pool)
    if rng.random() < 0.82 and len(surname) == 1:
        second, sp2 = pick(rng, pool)
        if second != first:
            return PersonName(surname + first + second, sp + fp + sp2, female)
    return PersonName(surname + first, sp + fp, female)


_MOBILE_PREFIXES = (
    "130",
    "131",
    "133",
    "135",
    "136",
    "138",
    "139",
    "150",
    "151",
    "152",
    "157",
    "158",
    "159",
    "177",
    "180",
    "182",
    "183",
    "187",
    "188",
    "189",
    "191",
    "199",
)


def phone_number(rng: random.Random) -> str:
    return pick(rng, _MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


_MAIL_DOMAINS = ("example.com", "example.cn", "example.org", "example.net")


def email_address(rng: random.Random, pinyin: str, serial: int) -> str:
    # Reserved example domains only: nobody real receives mail sent to demo data.
    return f"{pinyin}{serial}@{pick(rng, _MAIL_DOMAINS)}"


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_number(region: str, year: int, month: int, day: int, seq: int, female: bool) -> str:
    """A well-formed 18-digit 居民身份证号码 (GB 11643-1999 checksum). ``seq`` 0..499."""
    order = 2 * (seq % 500) + (0 if female else 1)
    body = f"{region}{year:04d}{month:02d}{day:02d}{order:03d}"
    total = sum(int(c) * w for c, w in zip(body, _ID_WEIGHTS, strict=True))
    return body + _ID_CHECK[total % 11]


def id_checksum_ok(number: str) -> bool:
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(c) * w for c, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17]
