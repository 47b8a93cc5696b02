"""Reading the spreadsheets people actually hold: CSV in UTF-8, UTF-8 with a BOM,
UTF-16 (Excel's "Unicode text") or GBK/GB18030, and XLSX, within the upload size limit.

Everything that can go wrong with the *file itself* (too big, empty, not a spreadsheet,
an encoding we cannot read, unbalanced quotes) raises :class:`UnreadableTable` with an
English and a Chinese message; problems with individual cells are the later steps' job."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from service.spreadsheet_safety import restore

# csv's default 128 KiB field limit is what an unbalanced quote usually runs into; a
# genuine cell (a long bio) stays well below 64 KiB.
MAX_FIELD_CHARS = 64 * 1024
_DELIMITERS = (",", "\t", ";", "|")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and .doc)


class UnreadableTable(Exception):
    """The file cannot be read as a table at all; nothing in it was looked at."""

    def __init__(self, message: str, message_zh: str) -> None:
        super().__init__(message)
        self.message = message
        self.message_zh = message_zh

    def __str__(self) -> str:
        return f"{self.message_zh} / {self.message}"


@dataclass
class Table:
    """Header cells and data rows as stripped strings. ``rows`` holds
    ``(row_number, cells)`` numbered as a spreadsheet program shows them (the header
    is row 1 when it is the first row); wholly blank rows are dropped."""

    headers: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    encoding: str | None = None  # for CSV: the encoding it was read with
    delimiter: str | None = None


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _too_big(size: int, limit: int) -> UnreadableTable:
    mb = size / 1024 / 1024
    lim = limit / 1024 / 1024
    return UnreadableTable(
        f"the file is {mb:.1f} MB, larger than the {lim:.0f} MB import limit "
        "(RENCAI_MAX_UPLOAD_BYTES); split it into smaller files",
        f"文件大小 {mb:.1f} MB，超过导入上限 {lim:.0f} MB，请拆分成多个文件后再导入",
    )


def read_table(
    source: bytes | str | Path, filename: str | None = None, *, max_bytes: int | None = None
) -> Table:
    """Read a CSV or XLSX file from a path or from uploaded bytes.

    The size limit is checked before the file is read, so a huge upload is refused
    without loading it. The format is decided by the file's first bytes, not its name:
    an .xlsx renamed to .csv still reads."""
    if isinstance(source, bytes):
        data = source
        name = filename or "upload"
        if max_bytes is not None and len(data) > max_bytes:
            raise _too_big(len(data), max_bytes)
    else:
        path = Path(source)
        name = filename or path.name
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise UnreadableTable(
                f"cannot open {path}: {exc.strerror or exc}", f"无法打开文件 {path}"
            ) from exc
        if path.is_dir():
            raise UnreadableTable(f"{path} is a folder, not a file", f"{path} 是文件夹，不是文件")
        if max_bytes is not None and size > max_bytes:
            raise _too_big(size, max_bytes)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UnreadableTable(
                f"cannot read {path}: {exc.strerror or exc}", f"无法读取文件 {path}"
            ) from exc

    if not data.strip():
        raise UnreadableTable("the file is empty", "文件是空的")
    if data.startswith(_ZIP_MAGIC):
        return _read_xlsx(data)
    if data.startswith(_OLE_MAGIC):
        raise UnreadableTable(
            "this is an old Excel .xls file; save it as .xlsx or CSV (UTF-8) and try again",
            "这是旧版 Excel .xls 文件，请另存为 .xlsx 或 CSV（UTF-8）后再导入",
        )
    if name.lower().endswith((".xlsx", ".xlsm")):
        raise UnreadableTable(
            f"{name} is not a valid .xlsx workbook (it may be damaged or renamed)",
            f"{name} 不是有效的 .xlsx 工作簿（可能已损坏或被改了扩展名）",
        )
    text, encoding = decode_text(data)
    return _read_csv(text, encoding)


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes: a BOM wins; then strict UTF-8; then GB18030 (a superset of GBK
    and GB2312, which is what Excel on a Chinese Windows saves). Anything else is refused
    with a message rather than guessed at, since a wrong guess silently garbles names."""
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break  # binary, or UTF-16 without a BOM
        return text, "gbk/gb18030" if encoding == "gb18030" else encoding
    guess = _guess_encoding(data)
    hint = f" (it looks like {guess})" if guess else ""
    raise UnreadableTable(
        "cannot read the file's text encoding"
        f"{hint}: it is not UTF-8 or GBK/GB18030, or it is not a text file. "
        "In Excel choose 'Save as → CSV UTF-8' or save as .xlsx",
        "无法识别文件编码（不是 UTF-8 或 GBK/GB18030，或不是文本文件）。"
        "请在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”或保存为 .xlsx 后再导入",
    )


def _guess_encoding(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - charset-normalizer ships with requests
        return None
    best = from_bytes(data[:65536]).best()
    return str(best.encoding) if best is not None else None


def _pick_delimiter(text: str) -> str:
    """Choose the delimiter from the header line: the candidate that splits it most."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _read_csv(text: str, encoding: str) -> Table:
    delimiter = _pick_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    old_limit = csv.field_size_limit()
    csv.field_size_limit(MAX_FIELD_CHARS)
    rows: list[list[str]] = []
    try:
        # A cell our own export quoted against formula injection reads back as written.
        rows.extend([restore(cell) for cell in row] for row in reader)
    except csv.Error as exc:
        line = reader.line_num
        raise UnreadableTable(
            f'malformed CSV near line {line}: {exc} (an unbalanced quote " or a cell '
            "broken across lines is the usual cause)",
            f'CSV 格式有误（约第 {line} 行）：通常是引号 " 不成对或单元格内换行造成的',
        ) from exc
    finally:
        csv.field_size_limit(old_limit)
    return _to_table(rows, encoding=encoding, delimiter=delimiter)


def _to_table(
    rows: Iterable[Sequence[Any]], *, encoding: str | None = None, delimiter: str | None = None
) -> Table:
    headers: list[str] | None = None
    body: list[tuple[int, list[str]]] = []
    for number, raw in enumerate(rows, start=1):
        cells = [cell_text(value) for value in raw]
        if not any(cells):
            continue
        if headers is None:
            headers = cells
            continue
        # The number a spreadsheet program shows for this row (one per CSV record).
        body.append((number, cells))
    if headers is None:
        raise UnreadableTable("the file has no rows", "文件中没有任何数据行")
    while headers and not headers[-1]:
        headers.pop()
    if not body:
        raise UnreadableTable(
            "the file has a header row but no data rows", "文件只有表头，没有数据行"
        )
    return Table(headers=headers, rows=body, encoding=encoding, delimiter=delimiter)


def cell_text(value: Any) -> str:
    """One cell as the importer sees it: strings stripped, dates as ISO, whole floats
    without their ``.0`` (Excel stores every number as a float)."""
    if type(value) is str:  # nearly every cell: skip the checks below
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value).strip()


def _read_xlsx(data: bytes) -> Table:
    """The first sheet, read by calamine (a Rust reader, about ten times openpyxl's
    speed on a bulk file); a workbook calamine cannot read goes to openpyxl, whose
    errors are the ones explained to the user."""
    rows = _calamine_rows(data)
    if rows is not None:
        return _to_table(rows)
    return _read_xlsx_openpyxl(data)


def _calamine_rows(data: bytes) -> list[list[Any]] | None:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not workbook.sheet_names:
            return None
        # Empty leading rows and columns are kept, so row numbers stay the spreadsheet's.
        rows: list[list[Any]] = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception:  # any failure: openpyxl reads it, or explains why not
        return None
    return rows


def _read_xlsx_openpyxl(data: bytes) -> Table:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise UnreadableTable(
            f"not a readable .xlsx workbook ({type(exc).__name__}); it may be damaged, "
            "encrypted or another kind of zip file",
            "无法读取该 .xlsx 工作簿（可能已损坏、加密，或不是 Excel 文件）",
        ) from exc
    except Exception as exc:  # openpyxl raises its own types for odd workbooks
        raise UnreadableTable(
            f"not a readable .xlsx workbook: {exc}", "无法读取该 .xlsx 工作簿"
        ) from exc
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise UnreadableTable("the workbook has no sheets", "工作簿中没有工作表")
        try:
            return _to_table(sheet.iter_rows(values_only=True))
        except UnreadableTable:
            raise
        except Exception as exc:
            raise UnreadableTable(
                f"cannot read the first sheet of the workbook: {exc}",
                "无法读取工作簿的第一个工作表",
            ) from exc
    finally:
        workbook.close()
