"""Hypothesis strategies for hostile and near-valid input files of every format.

Near-valid means: a header drawn from the readers' own column names (and a few typos),
rows of cells that are mostly plausible (dates in several formats, counts, countries,
labels, hours, windows) and sometimes not (control characters, quotes, huge or negative
numbers, other scripts), joined with any delimiter and line end, encoded in UTF-8, UTF-16
or cp1252, and at times cut or mutated byte by byte.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import strategies as st

__all__ = ["arbitrary_file", "near_valid_csv", "small_parquet", "small_workbook"]

HEADERS = ("ds", "date", "contacts", "calls", "country", "query_type", "channel", "aht_s",
           "sessions", "visits", "name", "event", "lower_window", "upper_window", "agent_id",
           "queues", "skills", "contract_h_week", "team", "min_h_week", "max_h_week",
           "available_days", "earliest_start", "latest_end", "unavailable", "preferences",
           "contcts", "Query Type", "", " ", "配送", "d\ns", "x" * 300)
DATES = ("2026-10-01", "2026-10-02", "2026-10-01 08:00", "2026-10-01 08:30", "01/10/2026",
         "10/01/2026 08:00", "01.10.2026", "2026-10-01T08:00:00+02:00", "2026-10-25 02:30",
         "2026-03-29 02:30", "0001-01-01", "9999-12-31", "1677-09-21", "2262-04-12",
         "45000", "45000.5", "2026-02-30", "2026-13-01", "", "NaT", "2026-10-01Z")
NUMBERS = ("0", "1", "12", "1.5", "1,5", "1.250", "1.250,5", "1,250", "-1", "-0", "1e308",
           "-1e308", "1e309", "nan", "inf", "999999999", "1000000000", "9" * 30, "0x10",
           "", " ", "12 ", "½", "١٢", "1_000")
TEXT = ("GB", "NL", "NA", "Namibia", "(not set)", "*", "all", "ZZ", "Atlantis", "phone",
        "voice", "chat", "E-Mail", "order status", "配送", "📦", "🇳🇱", "---", "\x1b[31m",
        "a\nb", 'a"b', '"', "'", "\u202e", "\x00", "\ufeff", "Mon-Fri", "Mon;Wed", "Xyz",
        "08:00", "20:00", "24:00", "25:61", "2026-12-24;2026-12-28..2026-12-31",
        "2026-12-31..2026-12-01", "early;no_nights", "sometimes", "voice_en;chat_en", "-",
        ";", "x" * 2000)
DELIMITERS = (",", ";", "\t", "|")
LINE_ENDS = ("\n", "\r\n", "\r")
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "cp1252")

cells = st.one_of(st.sampled_from(DATES), st.sampled_from(NUMBERS), st.sampled_from(TEXT),
                  st.text(max_size=8))


SCHEMAS = {
    "contacts": (("ds", "contacts"), ("country", "query_type", "channel", "aht_s")),
    "traffic": (("ds", "sessions"), ("country", "query_type", "browser")),
    "events": (("name", "ds"), ("country", "lower_window", "upper_window")),
    "agents": (("agent_id", "name", "queues", "contract_h_week"),
               ("team", "min_h_week", "max_h_week", "available_days", "earliest_start",
                "latest_end", "unavailable", "preferences")),
}
PLAUSIBLE = {
    "contacts": ("0", "3", "12", "250", "1.250"), "sessions": ("0", "10", "1500", "2,5"),
    "aht_s": ("300", "310.5", "295,25", ""), "country": ("GB", "NL", "NA", "DE", "Namibia"),
    "query_type": ("orders", "Order Status", "配送", "📦", "返品"),
    "channel": ("phone", "voice", "chat", "E-Mail", "💬"), "browser": ("Chrome", "Safari"),
    "name": ("Black Friday", "Singles Day 双十一", "sale"), "lower_window": ("0", "-1", "-3"),
    "upper_window": ("0", "1", "2"), "queues": ("voice_en", "voice_en;chat_en", "Chat-NL"),
    "contract_h_week": ("38", "20", "40"), "team": ("a", "b"), "min_h_week": ("", "10"),
    "max_h_week": ("", "40"), "available_days": ("Mon-Fri", "Mon;Wed", ""),
    "earliest_start": ("08:00", ""), "latest_end": ("20:00", "24:00"),
    "unavailable": ("", "2026-12-24", "2026-12-28..2026-12-31"),
    "preferences": ("", "early", "late;no_nights"),
}
DAY_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M",
               "%Y-%m-%dT%H:%M:%S+01:00")


@st.composite
def _dates(draw: st.DrawFn, rows: int) -> list[str]:
    """Consecutive days or half hours in one format (a few odd starts)."""
    odd = (dt.datetime(1, 1, 1), dt.datetime(1677, 9, 20), dt.datetime(2262, 4, 10),
           dt.datetime(9999, 12, 1), dt.datetime(2026, 3, 29, 1), dt.datetime(2026, 10, 25, 1))
    start = draw(st.sampled_from(odd)) if draw(st.integers(0, 9)) == 0 else \
        draw(st.datetimes(dt.datetime(2019, 1, 1), dt.datetime(2027, 12, 31)))
    start = start.replace(minute=30 * (start.minute // 30), second=0, microsecond=0)
    fmt = draw(st.sampled_from(DAY_FORMATS))
    step = dt.timedelta(minutes=30) if "%H" in fmt and draw(st.booleans()) else dt.timedelta(days=1)
    stamps = []
    for i in range(rows):
        try:
            stamps.append((start + i * step).strftime(fmt))
        except (OverflowError, ValueError):
            stamps.append("9999-12-31")
    return stamps


@st.composite
def _table(draw: st.DrawFn) -> list[list[str]]:
    """A header and rows for one reader's schema, with a few faults at times."""
    required, optional = SCHEMAS[draw(st.sampled_from(tuple(SCHEMAS)))]
    header = [*required, *draw(st.lists(st.sampled_from(optional), unique=True, max_size=3))]
    if draw(st.integers(0, 9)) == 0:
        header[draw(st.integers(0, len(header) - 1))] = draw(st.sampled_from(HEADERS))
    rows = draw(st.sampled_from((0, 1, 2, 3, 5, 8)))
    columns = [draw(_dates(rows)) if name == "ds" else
               [f"a{i}" for i in range(rows)] if name == "agent_id" else
               draw(st.lists(st.sampled_from(PLAUSIBLE.get(name, ("x",))), min_size=rows,
                             max_size=rows)) for name in header]
    table = [header, *map(list, zip(*columns, strict=True))] if rows else [header]
    for _ in range(draw(st.sampled_from((0, 0, 0, 1, 2, 4)))):
        row = draw(st.integers(0, len(table) - 1))
        if draw(st.integers(0, 4)) == 0:
            table[row] = table[row][:-1] or [draw(cells)]
        elif draw(st.integers(0, 4)) == 0:
            table[row] = [*table[row], draw(cells)]
        else:
            table[row][draw(st.integers(0, len(table[row]) - 1))] = draw(cells)
    return table


def _quoted(cell: str, delimiter: str) -> str:
    if any(c in cell for c in (delimiter, '"', "\n", "\r")):
        return '"' + cell.replace('"', '""') + '"'
    return cell


@st.composite
def near_valid_csv(draw: st.DrawFn) -> bytes:
    """Bytes of a CSV file that is nearly a valid input of some reader."""
    delimiter = draw(st.sampled_from(DELIMITERS))
    end = draw(st.sampled_from(LINE_ENDS))
    quote = draw(st.booleans())
    lines = [delimiter.join(_quoted(c, delimiter) if quote else c for c in row)
             for row in draw(_table())]
    text = draw(st.sampled_from(("", "\n", end * 2))) + end.join(lines) + \
        draw(st.sampled_from(("", end)))
    data = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    return _mutated(draw, data) if draw(st.integers(0, 3)) == 0 else data


def _mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """`data`, or `data` with a few bytes changed, inserted or cut off."""
    for _ in range(draw(st.integers(0, 3))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(("flip", "insert", "cut")))
        byte = bytes([draw(st.integers(0, 255))])
        data = (data[:at] + byte + data[at + 1:] if action == "flip"
                else data[:at] + byte + data[at:] if action == "insert" else data[:at])
    return data


arbitrary_bytes = st.one_of(st.binary(max_size=400),
                            st.binary(max_size=200).map(lambda b: b"PK\x03\x04" + b),
                            st.binary(max_size=200).map(lambda b: b"PAR1" + b + b"PAR1"),
                            st.binary(max_size=200).map(lambda b: b"\xff\xfe" + b))


@st.composite
def arbitrary_file(draw: st.DrawFn) -> tuple[str, bytes]:
    """(suffix, bytes): any bytes under any suffix the readers take, gzipped at times."""
    suffix = draw(st.sampled_from((".csv", ".tsv", ".txt", ".csv.gz", ".xlsx", ".parquet")))
    data = draw(arbitrary_bytes)
    if suffix == ".csv.gz" and draw(st.booleans()):
        data = gzip.compress(data)
    return suffix, data


def _printable(text: str) -> str | None:
    """`text` without the characters a workbook cannot hold; None when nothing is left."""
    return "".join(c for c in text if c.isprintable() or c in "\t\n") or None


excel_values = st.one_of(
    st.none(), st.sampled_from(DATES + NUMBERS + TEXT).map(_printable),
    st.integers(-(10**12), 10**12), st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(), st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(2200, 1, 1)),
    st.dates(dt.date(1900, 3, 1), dt.date(2199, 12, 31)))


def _typed(cell: str) -> object:
    """The value a spreadsheet would hold for `cell`: a number, a date-time or text."""
    for kind in (int, float):
        try:
            return kind(cell)
        except ValueError:
            continue
    try:
        stamp = dt.datetime.fromisoformat(cell)
    except ValueError:
        return _printable(cell)
    return stamp.replace(tzinfo=None) if 1900 <= stamp.year <= 9999 else cell


@st.composite
def small_workbook(draw: st.DrawFn) -> bytes:
    """Bytes of a small .xlsx: a reader's table with typed cells (numbers, date-times),
    some cells replaced by any value, at times a second sheet first."""
    book = openpyxl.Workbook()
    if draw(st.integers(0, 4)) == 0:
        book.active.append(["not", "this", "sheet"])
        book.create_sheet("second")
    sheet = book.worksheets[-1]
    for row in draw(_table()):
        values = [_typed(c) if draw(st.booleans()) else _printable(c) for c in row]
        if draw(st.integers(0, 5)) == 0:
            values.append(draw(excel_values))
        sheet.append([v if not isinstance(v, float) or abs(v) < 1e300 else None
                      for v in values])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


ODD_COLUMNS = ("binary", "dict", "list", "null", "decimal", "int", "float", "stamp_tz")


def _odd_column(draw: st.DrawFn, rows: int) -> pa.Array:
    kind = draw(st.sampled_from(ODD_COLUMNS))
    text = st.sampled_from(DATES + NUMBERS + TEXT)
    values = {
        "int": lambda: pa.array(draw(st.lists(st.integers(-(2**63), 2**63 - 1),
                                              min_size=rows, max_size=rows)), pa.int64()),
        "float": lambda: pa.array(draw(st.lists(st.floats(), min_size=rows, max_size=rows)),
                                  pa.float64()),
        "stamp_tz": lambda: pa.array(draw(st.lists(st.datetimes(), min_size=rows,
                                                   max_size=rows)), pa.timestamp("us", "UTC")),
        "binary": lambda: pa.array(draw(st.lists(st.binary(max_size=6), min_size=rows,
                                                 max_size=rows)), pa.binary()),
        "dict": lambda: pa.array(draw(st.lists(text, min_size=rows, max_size=rows)),
                                 pa.string()).dictionary_encode(),
        "list": lambda: pa.array([[1, 2]] * rows),
        "null": lambda: pa.nulls(rows),
        "decimal": lambda: pa.array([None] * rows, pa.decimal128(10, 2)),
    }
    return values[kind]()


def _arrow_column(draw: st.DrawFn, cells: list[str]) -> pa.Array:
    """The column as text, or typed (int64, float64, timestamps) where every cell allows."""
    typed = [_typed(c) for c in cells]
    for kind, arrow in ((int, pa.int64()), (float, pa.float64()),
                        (dt.datetime, pa.timestamp("us"))):
        if typed and all(type(v) is kind for v in typed) and draw(st.booleans()):
            try:
                return pa.array(typed, arrow)
            except (pa.ArrowInvalid, OverflowError):
                break
    return pa.array(cells, pa.string())


@st.composite
def small_parquet(draw: st.DrawFn) -> bytes:
    """Bytes of a small Parquet file: a reader's table with typed columns, at times one
    column of an odd Arrow type (binary, dictionary, list, null, decimal...)."""
    header, *rows = draw(_table())
    width = len(header)
    rows = [(row + [""] * width)[:width] for row in rows]
    columns = [_arrow_column(draw, [row[i] for row in rows]) for i in range(width)]
    if draw(st.integers(0, 3)) == 0:
        columns[draw(st.integers(0, width - 1))] = _odd_column(draw, len(rows))
    table = pa.Table.from_arrays(columns, names=[str(h) for h in header])
    out = io.BytesIO()
    pq.write_table(table, out)
    return out.getvalue()


def write(folder: Path, suffix: str, data: bytes) -> Path:
    """`data` written as a file named input<suffix> in `folder` (replaced if there)."""
    path = folder / f"input{suffix}"
    path.write_bytes(data)
    return path
