"""The gettext catalogues: complete for every key the code and templates use, compiled or not,
and the converter that moves Python tables into them."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from service import i18n
from tools import i18n_tables_to_po as conv

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


def _catalogue(locale: str) -> dict[str, str]:
    with conv.po_path(ROOT, locale).open("rb") as fp:
        return {str(m.id): str(m.string) for m in read_po(fp, locale=locale) if m.id}


def test_every_extracted_key_has_words_in_both_catalogues() -> None:
    used = {key: f"{file}:{line}" for key, file, line in conv.extracted_keys(ROOT)}
    assert len(used) > 300, f"only {len(used)} keys extracted: babel.cfg reads too little"
    for locale in conv.LOCALES:
        words = _catalogue(locale)
        missing = sorted(f"{k} ({where})" for k, where in used.items() if k not in words)
        empty = sorted(f"{k} ({where})" for k, where in used.items() if words.get(k) == "")
        assert not missing, f"{locale}: keys used but absent from the catalogue: {missing}"
        assert not empty, f"{locale}: keys used with an empty msgstr: {empty}"


def test_catalogues_hold_the_same_keys_all_filled_with_the_same_placeholders() -> None:
    zh, en = _catalogue("zh_CN"), _catalogue("en")
    assert set(zh) == set(en), (
        f"only in zh_CN: {sorted(set(zh) - set(en))}; only in en: {sorted(set(en) - set(zh))}"
    )
    empty = sorted(k for k in zh if not zh[k] or not en[k])
    assert not empty, f"keys with an empty msgstr: {empty}"
    for key in zh:
        assert set(PLACEHOLDER.findall(zh[key])) == set(PLACEHOLDER.findall(en[key])), (
            f"{key}: zh_CN {zh[key]!r} and en {en[key]!r} name different placeholders"
        )


def test_no_python_tables_are_left_to_convert() -> None:
    assert conv.table_modules(ROOT) == [], "run python -m tools.i18n_tables_to_po"
    assert i18n.TABLES == {}


def test_lookup_reads_the_catalogues_in_each_language() -> None:
    assert i18n.translate("nav.home", "zh-CN") == "首页"
    assert i18n.translate("nav.home", "en") == "Home"
    assert i18n.translate("common.total", "en").format(n=3) == "3 in total"
    assert i18n.translate("no.such.key", "en") == "no.such.key"
    assert i18n.has_message("nav.home", "en") and not i18n.has_message("no.such.key", "en")


def _locale_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, folder, ignore=shutil.ignore_patterns("*.mo"))
    monkeypatch.setattr(i18n, "LOCALE_DIR", folder)
    i18n.catalogue.cache_clear()
    return folder


def test_missing_mo_is_compiled_in_memory_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _locale_copy(tmp_path, monkeypatch)
    try:
        assert i18n.translate("nav.logout", "zh-CN") == "退出"
        assert i18n.translate("nav.logout", "en") == "Log out"
        assert list(folder.rglob("*.mo")) == []
    finally:
        i18n.catalogue.cache_clear()


def test_compiled_mo_is_read_and_a_newer_po_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _locale_copy(tmp_path, monkeypatch)
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run([str(pybabel), "compile", "-d", str(folder), "-D", "messages"], check=True)
    mo = folder / "en" / "LC_MESSAGES" / "messages.mo"
    po = mo.with_suffix(".po")
    assert mo.exists()
    try:
        assert i18n.translate("nav.home", "en") == "Home"
        # A translator edits the .po after the last compile: the new word shows, not the old.
        po.write_text(po.read_text("utf-8").replace('msgstr "Home"', 'msgstr "Start"'), "utf-8")
        newer = mo.stat().st_mtime + 5
        import os

        os.utime(po, (newer, newer))
        i18n.catalogue.cache_clear()
        assert i18n.translate("nav.home", "en") == "Start"
    finally:
        i18n.catalogue.cache_clear()


OLD_REGISTRATION = '''"""Words."""

from service.messages import (
    alpha,
    beta,
)
from service.messages import gamma

TABLES: dict[str, tuple[str, str]] = {
    **alpha.MESSAGES,
    **beta.MESSAGES,
    **gamma.MESSAGES,
}
'''


def _repo_copy(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "service", root / "service", ignore=shutil.ignore_patterns("*.mo"))
    shutil.copy(ROOT / "babel.cfg", root / "babel.cfg")
    (root / "service" / "i18n.py").write_text(OLD_REGISTRATION, "utf-8")
    messages = root / "service" / "messages"
    (messages / "alpha.py").write_text(
        'MESSAGES: dict[str, tuple[str, str]] = {\n    "alpha.one": ("一个 {n}", "one {n}"),\n'
        '    "alpha.two": (\n        "两个"\n        "字",\n        "two words",\n    ),\n}\n',
        "utf-8",
    )
    (messages / "beta.py").write_text('MESSAGES = {"nav.home": ("主页", "Home page")}\n', "utf-8")
    (messages / "gamma.py").write_text('MESSAGES = {"gamma.x": ("丙", "Gamma")}\n', "utf-8")
    return root


def test_converter_moves_tables_into_both_catalogues_once(tmp_path: Path) -> None:
    root = _repo_copy(tmp_path)
    report = conv.convert(root)
    assert "moved 2 entries of service/messages/alpha.py" in report
    # beta changes an existing word: the table wins, and the report says so.
    assert any("nav.home [zh_CN] '首页' -> '主页'" in line for line in report), report
    assert conv.table_modules(root) == []
    text = (root / "service" / "i18n.py").read_text("utf-8")
    assert "service.messages" not in text and "MESSAGES" not in text, text
    compile(text, "i18n.py", "exec")
    for locale, (one, two, home) in {
        "zh_CN": ("一个 {n}", "两个字", "主页"),
        "en": ("one {n}", "two words", "Home page"),
    }.items():
        with conv.po_path(root, locale).open("rb") as fp:
            catalog = read_po(fp, locale=locale)
        assert catalog["alpha.one"].string == one
        assert catalog["alpha.two"].string == two
        assert catalog["nav.home"].string == home
        assert catalog["nav.logout"].string  # the words already there stay
    with conv.pot_path(root).open("rb") as fp:
        pot = read_po(fp)
    assert "alpha.one" in pot and "nav.home" in pot
    before = {p: p.read_bytes() for p in (root / "service" / "locale").rglob("*.po*")}
    assert conv.convert(root) == []
    assert {p: p.read_bytes() for p in before} == before


def test_converter_names_a_malformed_entry(tmp_path: Path) -> None:
    root = _repo_copy(tmp_path)
    (root / "service" / "messages" / "alpha.py").write_text(
        'MESSAGES = {"alpha.bad": ("只有中文",)}\n', "utf-8"
    )
    with pytest.raises(SystemExit, match=r"alpha.bad.*expected \(zh-CN, English\)"):
        conv.convert(root)
