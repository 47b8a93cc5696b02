"""What an import reports: each problem located as a spreadsheet user would look for
it (row, cell, column, value, why, in English and Chinese), the counts, and the same
problems as a CSV file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, Any, Literal

from service.spreadsheet_safety import csv_writer

Status = Literal["ok", "invalid", "unreadable"]


@dataclass
class ImportIssue:
    """One problem, located as a spreadsheet user would look for it. ``row`` is the
    spreadsheet row (header = 1), ``None`` for the file as a whole."""

    row: int | None
    column: str
    value: str
    message: str
    message_zh: str = ""
    cell: str = ""
    severity: Literal["error", "warning"] = "error"

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "cell": self.cell,
            "column": self.column,
            "value": self.value,
            "severity": self.severity,
            "message": self.message,
            "message_zh": self.message_zh,
        }

    def line(self) -> str:
        where = f"row {self.row}" if self.row is not None else "file"
        if self.cell:
            where += f" ({self.cell})"
        column = f" [{self.column}]" if self.column else ""
        value = f" {self.value!r}" if self.value else ""
        zh = f" / {self.message_zh}" if self.message_zh and self.message_zh != self.message else ""
        return f"{where}{column}{value}: {self.message}{zh}"


@dataclass
class ImportResult:
    kind: str
    status: Status = "ok"
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    committed: bool = False
    errors: list[ImportIssue] = field(default_factory=list)
    warnings: list[ImportIssue] = field(default_factory=list)
    encoding: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def exit_code(self) -> int:
        return {"ok": 0, "invalid": 1, "unreadable": 2}[self.status]

    def summary(self) -> str:
        if self.status == "unreadable":
            return "无法读取文件 / the file could not be read"
        if self.status == "invalid":
            return (
                f"{len(self.errors)} error(s) in {self.rows} row(s); nothing was imported "
                f"/ 发现 {len(self.errors)} 处错误，未导入任何数据"
            )
        return (
            f"{self.rows} {self.kind} row(s): {self.created} created, {self.updated} "
            f"updated, {self.unchanged} unchanged"
            f"{' (dry run, nothing saved)' if self.dry_run else ''} / "
            f"新增 {self.created}，更新 {self.updated}，未变 {self.unchanged}"
            f"{'（试运行，未保存）' if self.dry_run else ''}"
        )


REPORT_HEADERS = ("row", "cell", "column", "value", "severity", "message", "message_zh")


def write_report(result: ImportResult, stream: IO[str]) -> None:
    """The errors and warnings as CSV (open the stream with ``encoding="utf-8-sig"`` so
    Excel shows the Chinese)."""
    writer = csv_writer(stream, lineterminator="\r\n")
    writer.writerow(REPORT_HEADERS)
    for issue in [*result.errors, *result.warnings]:
        d = issue.as_dict()
        writer.writerow(["" if d[h] is None else d[h] for h in REPORT_HEADERS])
