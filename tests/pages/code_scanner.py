"""A scanner for codes where words belong (issue 13): over the visible text of every page the
tests visit (tests/pages/web.py for the HTTP tests, the Playwright harness for the browser
tests) and over exported files (CSV, XLSX).

It fails on
- snake_case words (``part_time``, ``no_feasible_candidate``),
- dotted keys (``profile.end_date``, ``agri.tobacco``),
- bare six-digit numbers (county codes such as ``532322``),
- ``#12``-style id references,
- English words on a zh-CN page, other than the few proper names in ``ALLOWED_ENGLISH``.

Text inside an element marked ``translate="no"`` (the HTML attribute for "leave this as it
is") is not read: the admin's reference-data table shows each code on purpose, in a column
headed 代码, and a login name is typed as it is. Text inside an element with its own ``lang``
is read in that language (the reference table shows each English name beside the Chinese).
An export's column whose header says it holds codes or record numbers (代码, 编号) is likewise left
out: API consumers need those.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path

# Proper names and file formats that stay in Latin letters on a Chinese page. Keep it small.
# SC (the 食品生产许可 mark) and SCI (the citation index: 发表SCI论文) are how Chinese
# writes them, in the profiles and needs people type.
ALLOWED_ENGLISH = frozenset(
    {"English", "Excel", "CSV", "XLSX", "JSON", "PDF", "PNG", "JPEG", "MB", "UTC", "CMA"}
    | {"SC", "SCI"}
)

_URL = re.compile(
    r"\bhttps?://\S+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b|/[\w./?=&%-]+\.(?:csv|xlsx|json)"
)
_SNAKE = re.compile(r"\b[A-Za-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
_DOTTED = re.compile(r"\b[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+\b")
_SIX_DIGITS = re.compile(r"(?<![\d.,:/-])\d{6}(?![\d.,:/-]?\d)")
_HASH_ID = re.compile(r"#\s?\d+\b")
_QUOTED = re.compile(r"“[^”]*”")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
# Visible attributes: what a screen reader or a tooltip says, and a button's text.
_SPOKEN = ("title", "alt", "placeholder", "aria-label")
_SKIPPED_TAGS = ("script", "style", "template", "noscript")
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)


class _Visible(HTMLParser):
    """The text a person sees or hears, and the page's language."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang = ""
        # (tag, hidden from the scan, language of its text)
        self._stack: list[tuple[str, bool, str]] = []
        self.texts: list[tuple[str, str]] = []  # (text, its language)

    @property
    def _hidden(self) -> bool:
        return bool(self._stack) and self._stack[-1][1]

    @property
    def _lang(self) -> str:
        return self._stack[-1][2] if self._stack else self.lang

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.lang = found.get("lang") or ""
        hidden = self._hidden or tag in _SKIPPED_TAGS or found.get("translate") == "no"
        lang = found.get("lang") or self._lang
        if not hidden:
            spoken = [found[a] or "" for a in _SPOKEN if found.get(a)]
            if tag == "input" and found.get("type") in ("submit", "button"):
                spoken.append(found.get("value") or "")
            self.texts += [(text, lang) for text in spoken]
        if tag not in _VOID:
            self._stack.append((tag, hidden, lang))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self._stack) - 1, -1, -1):
            if self._stack[depth][0] == tag:
                del self._stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.texts.append((data.strip(), self._lang))


def visible_text(page_html: str) -> list[tuple[str, str]]:
    """The page's visible text, one (text, language) per text node or spoken attribute."""
    parser = _Visible()
    parser.feed(page_html)
    parser.close()
    return [(text, lang or "zh-CN") for text, lang in parser.texts]


# What the tests themselves typed into forms (a need's title, say): a person's own words,
# shown back as typed on pages of either language, never an interface string or a code.
_TYPED: set[str] = set()


def typed(text: str) -> str:
    """Mark ``text`` as typed by a person in a test; returns it, for use inline."""
    if text.strip():
        _TYPED.add(text.strip())
    return text


def findings(text: str, locale: str) -> list[str]:
    """Each code-looking string in ``text``, named with what it looks like."""
    for own in sorted(_TYPED, key=len, reverse=True):  # the longest first: it may hold another
        text = text.replace(own, " ")
    text = _URL.sub(" ", text)
    found = [f"snake_case {m}" for m in _SNAKE.findall(text)]
    found += [f"key {m}" for m in _DOTTED.findall(text)]
    found += [f"six-digit code {m}" for m in _SIX_DIGITS.findall(text)]
    found += [f"id reference {m}" for m in _HASH_ID.findall(text)]
    if locale.lower().startswith("zh"):
        # A person's own input echoed back in quotes (用户名“zhou”已被使用) is theirs.
        cleaned = _QUOTED.sub(" ", _DOTTED.sub(" ", _SNAKE.sub(" ", text)))
        found += [
            f"English word {w!r}" for w in _LATIN_WORD.findall(cleaned) if w not in ALLOWED_ENGLISH
        ]
    return sorted(set(found))


def scan_page(page_html: str, where: str) -> list[str]:
    """Findings on one page, each with ``where``, the text's language and the line."""
    out = []
    for text, lang in visible_text(page_html):
        for line in text.splitlines():
            out += [f"{where} [{lang}]: {f} in {line[:80]!r}" for f in findings(line, lang)]
    return out


_MACHINE_KEY = re.compile(r"(?:\s*[（(][A-Za-z_.]+[）)])+\s*$")


def _code_column(header: str) -> bool:
    """An export's column that says it holds codes for machines (English: "… code",
    "… number", not "Number of people"), or login names (typed as they are, like the
    pages' ``translate="no"`` login names)."""
    english = r"\bcodes?\b|\bnumbers\b|\bnumber$|\blogin names?\b"
    return bool(re.search(rf"代码|编号|登录名|{english}", header.strip(), re.I))


def scan_rows(rows: Iterable[Iterable[object]], where: str, locale: str) -> list[str]:
    """Findings in a table (first row the headers); code columns named as such are left out."""
    out: list[str] = []
    header: list[str] = []
    raw_header: list[str] = []
    for number, row in enumerate(rows, start=1):
        cells = ["" if c is None else str(c) for c in row]
        if number == 1:
            # An importer's header names its column in words and the machine key after it,
            # 编号(external_id): the key is the clear label API consumers read. A header
            # such as "Same target as (code)" says its column holds codes.
            raw_header = cells
            cells = [_MACHINE_KEY.sub("", c) for c in cells]
            header = cells
        for index, cell in enumerate(cells):
            name = header[index] if index < len(header) else ""
            raw = raw_header[index] if index < len(raw_header) else ""
            if number > 1 and (_code_column(name) or _code_column(raw)):
                continue
            out += [f"{where} row {number} [{name}]: {f}" for f in findings(cell, locale)]
    return out


def scan_csv(data: bytes, where: str, locale: str) -> list[str]:
    text = data.decode("utf-8-sig")
    return scan_rows(csv.reader(io.StringIO(text)), where, locale)


def scan_xlsx(data: bytes, where: str, locale: str) -> list[str]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True)
    out: list[str] = []
    for sheet in book.worksheets:
        out += findings(sheet.title, locale)
        out += scan_rows(sheet.iter_rows(values_only=True), f"{where} sheet {sheet.title}", locale)
    return out


def scan_response(content_type: str, body: bytes, where: str, locale: str) -> list[str]:
    """Findings in one HTTP response: a page, a CSV or an XLSX file; others are not read."""
    if "text/html" in content_type:
        return scan_page(body.decode("utf-8", "replace"), where)
    if "text/csv" in content_type:
        return scan_csv(body, where, locale)
    if "spreadsheetml" in content_type:
        return scan_xlsx(body, where, locale)
    return []


# Findings another helper of issue 13 removes by rebuilding the page (the pages are theirs).
# Each entry: (a pattern of the finding line, who removes it). Keep this list short and
# delete an entry as soon as its page is rebuilt.
KNOWN_GAPS: tuple[tuple[str, str], ...] = (
    (r"^GET /needs/\d+/why-not \S+: id reference", "why-not by name (helper browse)"),
    (r"^POST /queue \S+: id reference", "queue results per item (helper explain)"),
)


def unexplained(problems: list[str]) -> list[str]:
    """The findings that are no known gap."""
    return [p for p in problems if not any(re.search(g, p) for g, _owner in KNOWN_GAPS)]


def report(problems: list[str]) -> None:
    """A finding (but the known gaps above) fails the test. ``RENCAI_CODE_SCAN=record``
    only records the findings, in ``test-artifacts/code-scan.txt``, and any other value
    names the file to record them in (to list every finding of a run in one go);
    ``strict`` or nothing is the default: fail."""
    problems = unexplained(problems)
    if not problems:
        return
    target = os.environ.get("RENCAI_CODE_SCAN", "strict")
    if target in ("", "strict"):
        raise AssertionError("codes where words belong:\n" + "\n".join(problems))
    path = Path("test-artifacts") / "code-scan.txt" if target == "record" else Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write("\n".join(problems) + "\n")
