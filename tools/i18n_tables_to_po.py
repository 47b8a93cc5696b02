"""Move Python message tables into the gettext catalogues, and rewrite the template.

Each module ``service/messages/<area>.py`` holds ``MESSAGES: dict[str, tuple[str, str]]``
(key -> (zh-CN, English)). This script writes every pair into
``service/locale/zh_CN/LC_MESSAGES/messages.po`` and ``service/locale/en/LC_MESSAGES/messages.po``
(msgid = the key), deletes the module, and removes its registration from ``service/i18n.py``.
It then rewrites ``service/locale/messages.pot``: the keys extracted from code and templates
(babel.cfg) together with every key of the catalogues (keys built at run time, such as
``status.{code}``, cannot be extracted).

Idempotent: a second run changes nothing. When a table and a catalogue disagree on a key, the
table wins (it is the newer word) and the script says so.

    python -m tools.i18n_tables_to_po            # in the repository root
    python -m tools.i18n_tables_to_po --root /tmp/copy-of-repo
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import io
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

LOCALES = {"zh_CN": 0, "en": 1}  # gettext locale -> index in the (zh, en) pair
KEYWORDS = {"t": None, "translate": None}
PROJECT = "rencai-match"


def po_path(root: Path, locale: str) -> Path:
    return root / "service" / "locale" / locale / "LC_MESSAGES" / "messages.po"


def pot_path(root: Path) -> Path:
    return root / "service" / "locale" / "messages.pot"


def read_table(module: Path) -> dict[str, tuple[str, str]]:
    """The ``MESSAGES`` dict of one table module, read without importing it."""
    tree = ast.parse(module.read_text(encoding="utf-8"), filename=str(module))
    for node in tree.body:
        target: ast.expr
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id == "MESSAGES":
            return _checked(module, ast.literal_eval(value))
    raise SystemExit(f"{module}: no MESSAGES table (expected MESSAGES = {{key: (zh, en)}})")


def _checked(module: Path, table: object) -> dict[str, tuple[str, str]]:
    if not isinstance(table, dict):
        raise SystemExit(f"{module}: MESSAGES is {type(table).__name__}, expected a dict")
    for key, pair in table.items():
        ok = isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(s, str) for s in pair)
        if not isinstance(key, str) or not ok:
            raise SystemExit(f"{module}: entry {key!r} is {pair!r}, expected (zh-CN, English)")
    return table


def load_catalogue(path: Path, locale: str) -> Catalog:
    if path.exists():
        with path.open("rb") as fp:
            return read_po(fp, locale=locale)
    return Catalog(locale=locale, project=PROJECT, fuzzy=False)


def save_catalogue(catalog: Catalog, path: Path) -> bool:
    """Write ``catalog`` when its text differs from the file; True when written."""
    buf = io.BytesIO()
    write_po(buf, catalog, sort_output=True, width=100, omit_header=False)
    text = _stable_header(buf.getvalue())
    if path.exists() and path.read_bytes() == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text)
    return True


def _stable_header(text: bytes) -> bytes:
    """Drop the dates Babel stamps into the header so an unchanged catalogue is unchanged."""
    text = re.sub(rb'"POT-Creation-Date: [^"]*\\n"\n', b"", text)
    return re.sub(rb'"PO-Revision-Date: [^"]*\\n"\n', b"", text)


def merge_table(
    catalog: Catalog, table: dict[str, tuple[str, str]], locale: str, origin: str
) -> list[str]:
    """Put each pair's word into ``catalog``; the lines that report a changed word."""
    notes = []
    for key, pair in table.items():
        word = pair[LOCALES[locale]]
        old = catalog.get(key)
        if old is not None and old.string and old.string != word:
            notes.append(f"{origin}: {key} [{locale}] {old.string!r} -> {word!r}")
        if old is None:
            catalog.add(key, word)
        else:
            old.string = word
    return notes


def table_modules(root: Path) -> list[Path]:
    folder = root / "service" / "messages"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.py") if p.name != "__init__.py")


def unregister(i18n_text: str, area: str) -> str:
    """``service/i18n.py`` without the import and the table entry of ``area``."""
    text = re.sub(rf"^\s*\*\*{area}\.MESSAGES,?[ \t]*\n", "", i18n_text, flags=re.M)
    text = re.sub(rf"^from service\.messages import {area}[ \t]*\n", "", text, flags=re.M)
    text = re.sub(rf"^import service\.messages\.{area}[ \t]*\n", "", text, flags=re.M)

    def drop_name(match: re.Match[str]) -> str:
        names = [n.strip() for n in match.group(1).replace("\n", ",").split(",")]
        kept = [n for n in names if n and n != area]
        if not kept:
            return ""
        if len(kept) == 1:
            return f"from service.messages import {kept[0]}\n"
        inner = "".join(f"    {n},\n" for n in kept)
        return f"from service.messages import (\n{inner})\n"

    grouped = r"^from service\.messages import \(([^)]*)\)[ \t]*\n"
    text = re.sub(grouped, drop_name, text, flags=re.M)
    single = r"^from service\.messages import ([\w \t,]+)\n"
    return re.sub(single, drop_name, text, flags=re.M)


def extracted_keys(root: Path) -> Iterator[tuple[str, str, int]]:
    """(key, file, line) for every literal key in code and templates, as babel.cfg says."""
    from babel.messages.frontend import parse_mapping_cfg

    with (root / "babel.cfg").open(encoding="utf-8") as fp:
        method_map, options_map = parse_mapping_cfg(fp)
    # Keys built with f-strings (status.{code}) cannot be extracted; the catalogues hold them,
    # so Babel's note about each one is left out of this script's output.
    with contextlib.redirect_stderr(io.StringIO()):
        found = list(extract_from_dir(str(root), method_map, options_map, keywords=KEYWORDS))
    for filename, lineno, message, _comments, _context in found:
        if isinstance(message, str):
            yield message, filename, lineno
        elif isinstance(message, tuple) and isinstance(message[0], str):
            yield message[0], filename, lineno


def write_template(root: Path, catalogues: dict[str, Catalog]) -> bool:
    pot = Catalog(project=PROJECT, fuzzy=False)
    for key, filename, lineno in extracted_keys(root):
        pot.add(key, locations=[(filename, lineno)])
    for catalog in catalogues.values():
        for message in catalog:
            if message.id and message.id not in pot:
                pot.add(message.id, auto_comments=["built at run time"])
    return save_catalogue(pot, pot_path(root))


def convert(root: Path) -> list[str]:
    """Move every table module under ``root``; the lines to report."""
    report: list[str] = []
    catalogues = {loc: load_catalogue(po_path(root, loc), loc) for loc in LOCALES}
    modules = table_modules(root)
    for module in modules:
        table = read_table(module)
        origin = f"service/messages/{module.stem}"
        for loc in LOCALES:
            report += merge_table(catalogues[loc], table, loc, origin)
        report.append(f"moved {len(table)} entries of {module.relative_to(root)}")
    for loc, catalog in catalogues.items():
        if save_catalogue(catalog, po_path(root, loc)):
            report.append(f"wrote {po_path(root, loc).relative_to(root)}")
    i18n = root / "service" / "i18n.py"
    text = i18n.read_text(encoding="utf-8")
    for module in modules:
        text = unregister(text, module.stem)
        module.unlink()
    if text != i18n.read_text(encoding="utf-8"):
        i18n.write_text(text, encoding="utf-8")
        report.append("removed the tables' registration from service/i18n.py")
    if write_template(root, catalogues):
        report.append(f"wrote {pot_path(root).relative_to(root)}")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="repository root")
    args = parser.parse_args(argv)
    for line in convert(args.root.resolve()):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
