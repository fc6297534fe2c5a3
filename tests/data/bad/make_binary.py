"""Write the binary files of the bad-input corpus (run from anywhere; files land here).

    python tests/data/bad/make_binary.py

- garbage.csv: bytes of an image-like binary file named .csv
- text_count.xlsx: an Excel history whose contacts cell in sheet row 4 reads 'many'
- duplicate_day.parquet: a Parquet history whose record 3 repeats the day of record 2
  (Parquet rows are numbered from 1: there is no header row)
- empty_timestamp.parquet: a Parquet history whose record 3 has no timestamp (null)
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd

HERE = Path(__file__).resolve().parent


def write_garbage(path: Path) -> None:
    header = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x02"
    path.write_bytes(header + bytes(range(256)) * 2)


def write_xlsx(path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "history"
    for row in (("ds", "contacts"), ("2026-10-01", 120), ("2026-10-02", 130),
                ("2026-10-03", "many"), ("2026-10-04", 140)):
        sheet.append(row)
    book.save(path)


def write_parquet(path: Path) -> None:
    frame = pd.DataFrame({
        "ds": pd.to_datetime(["2026-10-01", "2026-10-02", "2026-10-02", "2026-10-03"]),
        "contacts": [120, 130, 131, 125],
    })
    frame.to_parquet(path, index=False)


def write_empty_timestamp(path: Path) -> None:
    frame = pd.DataFrame({
        "ds": pd.to_datetime(["2026-10-01", "2026-10-02", None, "2026-10-04"]),
        "contacts": [120, 130, 125, 140],
    })
    frame.to_parquet(path, index=False)


if __name__ == "__main__":
    write_garbage(HERE / "garbage.csv")
    write_xlsx(HERE / "text_count.xlsx")
    write_parquet(HERE / "duplicate_day.parquet")
    write_empty_timestamp(HERE / "empty_timestamp.parquet")
