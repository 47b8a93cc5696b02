"""The vocabularies cells are written in, and looking a cell up in them: a code, the
Chinese or English name, an alias or a term of the plan all map back to the code that
is stored. The vocabularies come from the ``reference`` package."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from reference import load_categories, load_taxonomy
from service.usecases.imports.cells import CellError, norm

_PARENS = re.compile(r"[（(][^）)]*[）)]")


@dataclass
class Vocab:
    """One vocabulary: ``codes`` in order, ``labels`` the Chinese name of each code and
    ``lookup`` every accepted spelling (normalised) → code."""

    what: str
    what_zh: str
    codes: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    lookup: dict[str, str] = field(default_factory=dict)
    levels: dict[str, int] = field(default_factory=dict)  # code → ordinal, for levels
    # List cells already mapped: (cell text, strict) → codes (``map_list``).
    lists: dict[tuple[str, bool], tuple[str, ...]] = field(default_factory=dict)

    def add(self, code: str, zh: str, names: Iterable[str]) -> None:
        self.lists.clear()
        if code not in self.labels:
            self.codes.append(code)
            self.labels[code] = zh
        for name in (code, zh, *names):
            if not name:
                continue
            key = norm(name)
            # The first entry to claim a spelling keeps it: codes and Chinese names are
            # added before aliases, so an alias never steals another entry's name.
            self.lookup.setdefault(key, code)
            stripped = norm(_PARENS.sub("", name))
            if stripped:
                self.lookup.setdefault(stripped, code)

    def get(self, value: str) -> str | None:
        return self.lookup.get(norm(value))

    def hint(self, limit: int = 12) -> str:
        shown = [self.labels[c] or c for c in self.codes[:limit]]
        more = "…" if len(self.codes) > limit else ""
        return "、".join(shown) + more


@dataclass
class Vocabularies:
    site_types: Vocab
    talent_categories: Vocab
    skills: Vocab
    licences: Vocab
    languages: Vocab
    modes: Vocab
    title_levels: Vocab
    degree_levels: Vocab


def _coded(what: str, what_zh: str, entries: Iterable[Any]) -> Vocab:
    """A vocabulary from ``reference`` entries (Term, Level or ModeInfo)."""
    vocab = Vocab(what, what_zh)
    entries = list(entries)
    for entry in entries:
        vocab.add(entry.code, entry.zh, ())
    for entry in entries:
        names = [entry.en, *getattr(entry, "plan_terms", ())]
        # 三支一扶/大学生志愿者 and 能工巧匠/土专家/田秀才 name several things at once.
        zh = _PARENS.sub("", entry.zh)
        if "/" in zh:
            names.extend(part for part in zh.split("/") if part)
        vocab.add(entry.code, entry.zh, names)
        if hasattr(entry, "level"):
            vocab.levels[entry.code] = int(entry.level)
    return vocab


# Everyday words for the service modes that the reference names do not spell out.
_MODE_WORDS = {
    "onsite_long": ("挂职", "帮带", "对口服务", "长期驻点", "长期"),
    "onsite_short": ("现场指导", "短期", "关键时节", "短期现场"),
    "seasonal": ("候鸟", "候鸟型", "季节性"),
    "remote": ("远程", "线上", "互联网远程", "网络远程", "online"),
    "part_time": ("兼职",),
    "project": ("项目合作", "技术入股", "服务外包", "项目"),
}


# Job titles as people write them (职称 series differ by profession; the levels do not).
_TITLE_WORDS = {
    "none": ("无职称", "未评"),
    "junior": ("初级", "助理", "助教", "医师", "助理工程师", "技术员"),
    "intermediate": ("中级", "讲师", "主治医师", "工程师", "农艺师", "兽医师", "一级教师"),
    "associate_senior": (
        "副高",
        "副高级",
        "高级",
        "副教授",
        "副研究员",
        "副主任医师",
        "高级工程师",
        "高级农艺师",
        "高级兽医师",
        "高级教师",
    ),
    "senior": ("正高", "教授", "研究员", "主任医师", "正高级工程师", "推广研究员", "正高级教师"),
}
_DEGREE_WORDS = {
    "high_school": ("高中", "初中", "小学", "初中及以下"),
    "secondary_vocational": ("中职", "职高", "技校"),
    "junior_college": ("专科", "大学专科", "高职"),
    "bachelor": ("大学本科", "学士", "本科生"),
    "master": ("研究生", "硕士研究生", "硕士生"),
    "doctorate": ("博士研究生", "博士生", "博士后"),
}


@lru_cache(maxsize=1)
def load_vocabularies() -> Vocabularies:
    """The vocabularies of ``reference/data`` (versioned with the code, so cached)."""
    categories = load_categories()
    skills = Vocab("skill", "技能领域")
    leaves = load_taxonomy().leaves()
    for leaf in leaves:
        skills.add(leaf.code, leaf.zh, ())
    for leaf in leaves:
        skills.add(leaf.code, leaf.zh, [leaf.en, *leaf.aliases])
    modes = _coded("service mode", "服务方式", categories.modes)
    for code, words in _MODE_WORDS.items():
        modes.add(code, modes.labels.get(code, ""), words)
    title_levels = _coded("title level", "职称", categories.title_levels)
    for code, words in _TITLE_WORDS.items():
        title_levels.add(code, title_levels.labels.get(code, ""), words)
    degree_levels = _coded("degree level", "学历", categories.degree_levels)
    for code, words in _DEGREE_WORDS.items():
        degree_levels.add(code, degree_levels.labels.get(code, ""), words)
    vocabularies = Vocabularies(
        site_types=_coded("site type", "单位类型", categories.site_types),
        talent_categories=_coded("talent category", "人才类别", categories.talent_categories),
        skills=skills,
        licences=_coded("licence", "执业资格", categories.licences),
        languages=_coded("language", "语言", categories.languages),
        modes=modes,
        title_levels=title_levels,
        degree_levels=degree_levels,
    )
    _add_shown_names(vocabularies)
    return vocabularies


def _add_shown_names(v: Vocabularies) -> None:
    """The names pages and exports show (the catalogues' ``label.<kind>.<code>``, which a
    translator may have reworded), in both languages: an export imports back."""
    from service.usecases.reference import labels

    shown = labels()
    coded = {
        "site_type": v.site_types,
        "category": v.talent_categories,
        "skill": v.skills,
        "licence": v.licences,
        "language": v.languages,
        "mode": v.modes,
    }
    for kind, vocab in coded.items():
        for code, names in shown.get(kind, {}).items():
            if code in vocab.labels:
                vocab.add(code, vocab.labels[code], names)
    for kind, vocab in (("title", v.title_levels), ("degree", v.degree_levels)):
        by_level = {number: code for code, number in vocab.levels.items()}
        for number, names in shown.get(kind, {}).items():
            level_code = by_level.get(int(number))
            if level_code is not None:
                vocab.add(level_code, vocab.labels[level_code], names)


# ---------------------------------------------------------------------------------------
# Looking a cell up
# ---------------------------------------------------------------------------------------

# A list's items are separated by ; (as the exports write them) or by any of these; a name
# with a comma in it ("Project cooperation, technology equity or outsourcing") is read
# whole when it stands between semicolons.
_LIST_SPLIT = re.compile(r"[;；\n]+")
_ITEM_SPLIT = re.compile(r"[、，,|]+")


def map_one(key: str, text: str, vocab: Vocab, *, strict: bool = True) -> str:
    code = vocab.get(text)
    if code is None:
        if not strict:
            return text.strip()  # the schema names it with its own message
        raise CellError(
            key,
            f"unknown {vocab.what} {text.strip()!r}; expected e.g. {vocab.hint()}",
            f"无法识别的{vocab.what_zh}“{text.strip()}”，可选：{vocab.hint()}",
        )
    return code


def map_list(key: str, text: str, vocab: Vocab, *, strict: bool = True) -> list[str]:
    # Cells such as "全科医学；农村卫生" repeat down a bulk file: each spelling is looked up
    # once (a cell with an unknown value raises and is not remembered).
    remembered = vocab.lists.get((text, strict))
    if remembered is None:
        remembered = vocab.lists[(text, strict)] = tuple(_map_parts(key, text, vocab, strict))
    return list(remembered)


def _map_parts(key: str, text: str, vocab: Vocab, strict: bool) -> list[str]:
    out: list[str] = []
    for part in _LIST_SPLIT.split(text):
        whole = vocab.get(part) if part.strip() else None
        items = [whole] if whole is not None else _ITEM_SPLIT.split(part)
        for item in items:
            if item.strip():
                code = whole if whole is not None else map_one(key, item, vocab, strict=strict)
                if code not in out:
                    out.append(code)
    return out


def level(key: str, text: str, vocab: Vocab) -> int:
    value = text.strip()
    if value.isdigit():
        return int(value)  # the schema checks the range
    code = map_one(key, value, vocab)
    return vocab.levels[code]
