"""A requirements file handed to `peakplan schedule --requirements` is read as every input
is (issue 16): regular files only, within [data.limits], in any encoding and dialect the
readers take, and a problem is one escaped line naming its row and column."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pandas as pd
import pytest

from data import DataError, ReadLimits, use_limits
from peakplan.cli import main
from peakplan.readers import read_requirements

ZONE = "Europe/Amsterdam"
GOOD = ("queue,ds,agents_gross,contacts,aht_s\n"
        "Phone,2026-11-02T08:00:00+01:00,3,40,300\n"
        "Phone,2026-11-02T09:00:00+01:00,4.5,55,310\n")


def write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def test_a_good_file_in_any_dialect_is_read_with_its_numbers(tmp_path) -> None:
    semicolons = GOOD.replace(",", ";").replace("4.5", "4,5")
    for name, data in (("a.csv", GOOD), ("b.csv", semicolons.encode("utf-16")),
                       ("c.csv.gz", gzip.compress(GOOD.encode()))):
        frame = read_requirements(write(tmp_path, name, data), ZONE)
        assert frame["queue"].tolist() == ["phone", "phone"], name
        assert frame["agents_gross"].tolist() == [3.0, 4.5], name
        assert frame["contacts"].dtype == "float64" and frame["ds"].dt.hour.tolist() == [8, 9]
    parquet = tmp_path / "d.parquet"
    read_requirements(tmp_path / "a.csv", ZONE).to_parquet(parquet)
    assert read_requirements(parquet, ZONE)["agents_gross"].tolist() == [3.0, 4.5]


def _refusal(path: Path, limits: ReadLimits | None = None) -> str:
    with use_limits(limits or ReadLimits()), pytest.raises(DataError) as error:
        read_requirements(path, ZONE)
    message = str(error.value)
    assert "\n" not in message and len(message.encode()) <= 500
    return message


def test_a_named_pipe_is_refused_without_being_opened(tmp_path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    os.mkfifo(tmp_path / "need.csv")
    assert "is a named pipe (FIFO), not a regular file" in _refusal(tmp_path / "need.csv")


def test_a_decompression_bomb_stops_at_the_limit(tmp_path) -> None:
    bomb = gzip.compress(b"queue,ds,agents_gross\n" + b"a" * (8 << 20))
    message = _refusal(write(tmp_path, "need.csv.gz", bomb), ReadLimits(max_mb=1))
    assert "expands to more than 1 MB" in message and "data.limits.max_mb" in message


def test_too_many_cells_is_refused_by_the_limit(tmp_path) -> None:
    rows = "".join(f"phone,2026-11-02T{h:02d}:00:00+01:00,{h}\n" for h in range(24))
    message = _refusal(write(tmp_path, "need.csv", "queue,ds,agents_gross\n" + rows),
                       ReadLimits(max_cells=30))
    assert "data.limits.max_cells" in message


@pytest.mark.parametrize(("data", "said"), [
    ("queue,ds,agents_gross\nphone,2026-11-02T08:00:00,3,9\n\"open,x\n", "row 3: a quote"),
    ("queue,ds\n".encode("utf-16") + b"\x00", "not a multiple of 2"),
    ("queue,ds,agents_gross\nphone,2026-11-02T08:00:00,\x1b[2Kok\n",
     r"row 2, column 'agents_gross': '\x1b[2Kok' is not a number"),
    ("queue,ds,agents_gross\nphone,2026-11-02T08:00:00,-2\n", "row 2, column 'agents_gross'"),
    ("queue,ds,agents_gross\nphone,2026-11-02T08:00:00,3\n!!,2026-11-02T09:00:00,3\n",
     "row 3, column 'queue': '!!' has no letter or digit"),
    ("queue,ds,agents_gross\n" + "x" * 100_000 + ",2026-11-02T08:00:00,oops\n",
     "column 'agents_gross': 'oops' is not a number"),
    ("queue,ds,agents_gross,contacts\nphone,2026-11-02T08:00:00,3,many\n",
     "row 2, column 'contacts': 'many' is not a number"),
])
def test_a_bad_file_is_one_line_naming_row_and_column(tmp_path, data, said) -> None:
    assert said in _refusal(write(tmp_path, "need.csv", data))


def test_the_cli_says_it_in_one_line(tmp_path, capsys) -> None:
    path = write(tmp_path, "need.csv.gz", gzip.compress(b"queue,ds\n" + b"a" * (3 << 20)))
    config = write(tmp_path, "season.toml", "[data.limits]\nmax_mb = 1\n")
    code = main(["schedule", "--config", str(config), "--requirements", str(path),
                 "--timezone", ZONE, "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "need.csv.gz: is gzip that expands to more than 1 MB" in err


def test_the_rows_keep_the_file_order_and_a_plain_index(tmp_path) -> None:
    frame = read_requirements(write(tmp_path, "need.csv", "\n\n" + GOOD), ZONE)
    assert frame.index.tolist() == [0, 1]
    assert isinstance(frame, pd.DataFrame) and frame["aht_s"].tolist() == [300.0, 310.0]
