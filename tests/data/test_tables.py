"""Any CSV dialect, Parquet and Excel reach the same contract frame."""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest

from data import DataError, read_contacts

TZ = "Europe/Amsterdam"
ROWS = [("2026-01-05 09:00", 12, 310.5), ("2026-01-05 09:30", 7, 295.0),
        ("2026-01-05 10:00", 1234, 300.25)]


def expected() -> pd.DataFrame:
    return pd.DataFrame({
        "ds": pd.to_datetime([r[0] for r in ROWS]).tz_localize(TZ),
        "contacts": [r[1] for r in ROWS], "aht_s": [r[2] for r in ROWS]})


def check(path: Path) -> None:
    frame = read_contacts(path, timezone=TZ, country="GB", channel="phone")
    want = expected()
    assert list(frame.columns) == ["ds", "country", "query_type", "channel", "contacts", "aht_s"]
    assert (frame["ds"] == want["ds"]).all()
    assert frame["contacts"].tolist() == want["contacts"].tolist()
    assert frame["aht_s"].tolist() == pytest.approx(want["aht_s"].tolist())
    assert set(frame["country"]) == {"GB"} and set(frame["channel"]) == {"phone"}
    assert set(frame["query_type"]) == {"all"}


def test_plain_comma_csv(write) -> None:
    lines = ["ds,contacts,aht_s"] + [f"{d},{c},{a}" for d, c, a in ROWS]
    check(write("plain.csv", "\n".join(lines)))


def test_semicolon_with_decimal_comma_and_bom(write) -> None:
    lines = ["Date;Calls;AHT"] + [f"{d};{c};{str(a).replace('.', ',')}" for d, c, a in ROWS]
    check(write("excel_export.csv", "\ufeff" + "\r\n".join(lines)))


def test_thousands_separators_in_a_decimal_comma_file(write) -> None:
    lines = ["ds;contacts;aht_s"] + [
        f"{d};{c:,}".replace(",", ".") + f";{str(a).replace('.', ',')}" for d, c, a in ROWS]
    assert "1.234;" in "\n".join(lines)
    check(write("thousands.csv", "\n".join(lines)))


def test_quoted_thousands_comma_in_a_comma_file(write) -> None:
    lines = ["ds,contacts,aht_s"] + [f'{d},"{c:,}",{a}' for d, c, a in ROWS]
    check(write("quoted.csv", "\n".join(lines)))


def test_tab_separated_cp1252_with_blank_lines(write) -> None:
    lines = ["ds\tcontacts\taht_s\tnote"] + [f"{d}\t{c}\t{a}\tcafé" for d, c, a in ROWS]
    check(write("tabs.tsv", "\n\n".join(lines) + "\n\n", encoding="cp1252"))


def test_gzip_csv(tmp_path: Path) -> None:
    lines = ["ds|contacts|aht_s"] + [f"{d}|{c}|{a}" for d, c, a in ROWS]
    path = tmp_path / "history.csv.gz"
    path.write_bytes(gzip.compress("\n".join(lines).encode()))
    check(path)


def test_parquet_with_aware_timestamps(tmp_path: Path) -> None:
    frame = expected()
    frame["ds"] = frame["ds"].dt.tz_convert("UTC")
    path = tmp_path / "history.parquet"
    frame.to_parquet(path)
    check(path)


def test_excel_with_native_datetimes(tmp_path: Path) -> None:
    frame = expected()
    frame["ds"] = frame["ds"].dt.tz_localize(None)
    path = tmp_path / "history.xlsx"
    frame.rename(columns={"ds": "Interval Start"}).to_excel(path, index=False)
    check(path)


def test_rows_are_numbered_as_a_spreadsheet_shows_them(write) -> None:
    path = write("bad.csv", "ds,contacts\n2026-01-05 09:00,1\n\n2026-01-05 09:30,-4\n")
    with pytest.raises(DataError) as error:
        read_contacts(path, timezone=TZ)
    assert error.value.row == 4 and error.value.column == "contacts"


def test_a_comma_at_the_end_of_every_line_is_harmless(write) -> None:
    lines = ["ds,contacts,aht_s,"] + [f"{d},{c},{a}," for d, c, a in ROWS]
    check(write("trailing.csv", "\n".join(lines)))
