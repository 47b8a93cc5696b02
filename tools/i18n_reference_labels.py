"""Write the names of every enumeration of the plan's reference data into both catalogues.

Keys are ``label.<kind>.<code>`` (``label.mode.part_time``, ``label.title.3``,
``label.skill.agri.tobacco``); the words come from reference/data (zh and en). A key already in
a catalogue keeps its words (a translator may have improved them) unless ``--refresh`` is given.
Counties and townships are proper names and stay in reference/data/divisions.json (Chinese
names and their pinyin); ``service.usecases.reference.labels`` serves both.

    python -m tools.i18n_reference_labels [--refresh] [--root PATH]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tools.i18n_tables_to_po import LOCALES, load_catalogue, po_path, save_catalogue


def reference_words() -> dict[str, tuple[str, str]]:
    """``label.<kind>.<code>`` -> (zh, en) for every vocabulary of the reference data."""
    import reference

    taxonomy = reference.load_taxonomy()
    categories = reference.load_categories()
    kinds: dict[str, list[tuple[str, str, str]]] = {
        "skill": [(leaf.code, leaf.zh, leaf.en) for g in taxonomy.groups for leaf in g.leaves],
        "skill_group": [(g.code, g.zh, g.en) for g in taxonomy.groups],
        "category": [(t.code, t.zh, t.en) for t in categories.talent_categories],
        "site_type": [(t.code, t.zh, t.en) for t in categories.site_types],
        "institution_type": [(t.code, t.zh, t.en) for t in categories.institution_types],
        "mode": [(m.code, m.zh, m.en) for m in categories.modes],
        "title": [(str(lv.level), lv.zh, lv.en) for lv in categories.title_levels],
        "degree": [(str(lv.level), lv.zh, lv.en) for lv in categories.degree_levels],
        "licence": [(t.code, t.zh, t.en) for t in categories.licences],
        "language": [(t.code, t.zh, t.en) for t in categories.languages],
    }
    return {
        f"label.{kind}.{code}": (zh, en) for kind, rows in kinds.items() for code, zh, en in rows
    }


def write(root: Path, refresh: bool = False) -> list[str]:
    words = reference_words()
    report = []
    for locale, index in LOCALES.items():
        catalog = load_catalogue(po_path(root, locale), locale)
        added = 0
        for key, pair in words.items():
            old = catalog.get(key)
            if old is None:
                catalog.add(key, pair[index])
                added += 1
            elif refresh and old.string != pair[index]:
                old.string = pair[index]
                added += 1
        if save_catalogue(catalog, po_path(root, locale)):
            report.append(f"{locale}: {added} reference names written")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path.cwd())
    parser.add_argument("--refresh", action="store_true", help="overwrite existing words")
    args = parser.parse_args(argv)
    for line in write(args.root.resolve(), args.refresh):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
