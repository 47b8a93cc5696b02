"""Write the .xlsx import templates from the CSV ones next to this file.

Run ``python seed/templates/make_xlsx.py`` after editing a CSV template."""

from __future__ import annotations

import csv
from pathlib import Path

from service.usecases.tabular import write_xlsx

HERE = Path(__file__).resolve().parent


def main() -> None:
    for source in sorted(HERE.glob("*.csv")):
        with source.open(encoding="utf-8-sig", newline="") as handle:
            headers, *rows = list(csv.reader(handle))
        target = source.with_suffix(".xlsx")
        write_xlsx(headers, rows, target, sheet_title=source.stem)
        print(f"wrote {target.relative_to(HERE.parents[1])}")


if __name__ == "__main__":
    main()
