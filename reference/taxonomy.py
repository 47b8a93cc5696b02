"""``taxonomy.json``: the two-level skills and fields taxonomy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from reference._parse import (
    TAXONOMY_FILE,
    _header,
    _Node,
    _unique,
    read_data_file,
)


@dataclass(frozen=True, slots=True)
class SkillLeaf:
    """A leaf of the skills/fields taxonomy; ``code`` is ``"<group>.<leaf>"``."""

    code: str
    group: str
    zh: str
    en: str
    keywords: tuple[str, ...]
    aliases: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """The Chinese name followed by its aliases."""
        return (self.zh, *self.aliases)


@dataclass(frozen=True, slots=True)
class SkillGroup:
    code: str
    zh: str
    en: str
    leaves: tuple[SkillLeaf, ...]


@dataclass(frozen=True, slots=True)
class Taxonomy:
    source: str
    as_of: date
    notes: tuple[str, ...]
    plan_domains: tuple[str, ...]
    groups: tuple[SkillGroup, ...]

    def leaves(self) -> tuple[SkillLeaf, ...]:
        return tuple(leaf for g in self.groups for leaf in g.leaves)

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(leaf.code for leaf in self.leaves())

    def leaf(self, code: str) -> SkillLeaf:
        for leaf in self.leaves():
            if leaf.code == code:
                return leaf
        raise KeyError(f"no taxonomy leaf with code {code!r}")

    def find(self, name: str) -> SkillLeaf | None:
        """The leaf whose Chinese name or alias is exactly ``name``."""
        for leaf in self.leaves():
            if name in leaf.names:
                return leaf
        return None


def parse_taxonomy(raw: Any, *, file: str = TAXONOMY_FILE) -> Taxonomy:
    root = _Node(raw, file, "").obj()
    source, as_of, notes = _header(root)
    group_nodes = root["groups"].items()
    groups = []
    all_leaf_nodes: list[_Node] = []
    for gn in group_nodes:
        g = gn.obj()
        gcode = g["code"].code()
        leaves = []
        for ln in g["children"].items():
            leaf_obj = ln.obj()
            lcode = leaf_obj["code"].code()
            keywords = leaf_obj["keywords"].str_tuple(allow_empty=False)
            leaves.append(
                SkillLeaf(
                    code=f"{gcode}.{lcode}",
                    group=gcode,
                    zh=leaf_obj["zh"].string(),
                    en=leaf_obj["en"].string(),
                    keywords=keywords,
                    aliases=leaf_obj.get("aliases", []).str_tuple(),
                )
            )
            leaf_obj.done()
            all_leaf_nodes.append(ln)
        if not leaves:
            raise g["children"].fail("at least one leaf")
        groups.append(SkillGroup(gcode, g["zh"].string(), g["en"].string(), tuple(leaves)))
        g.done()
    _unique(group_nodes, [g.code for g in groups], "group code")
    flat = [leaf for g in groups for leaf in g.leaves]
    _unique(all_leaf_nodes, [leaf.code for leaf in flat], "leaf code")
    _unique(all_leaf_nodes, [leaf.zh for leaf in flat], "leaf zh name")
    names = {n for leaf in flat for n in leaf.names}
    domains_node = root["plan_domains"]
    domains = domains_node.str_tuple(allow_empty=False)
    for i, domain in enumerate(domains):
        if domain not in names:
            raise _Node(domain, file, f"plan_domains[{i}]").fail(
                "a domain that some leaf names in zh or aliases"
            )
    result = Taxonomy(source, as_of, notes, domains, tuple(groups))
    root.done()
    return result


@cache
def load_taxonomy() -> Taxonomy:
    return parse_taxonomy(read_data_file(TAXONOMY_FILE))


def skills_in_text(taxonomy: Taxonomy, text: str) -> tuple[SkillLeaf, ...]:
    """The leaves whose Chinese name, an alias or a keyword occurs in ``text``: how a
    free-text need is tagged (and how a test checks that the taxonomy can tag it)."""
    return tuple(
        leaf
        for leaf in taxonomy.leaves()
        if any(word and word in text for word in (*leaf.names, *leaf.keywords))
    )
