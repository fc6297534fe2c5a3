"""Files that used to be read without a word but wrongly (issue 16): each is now read
right or refused naming the row."""

from __future__ import annotations

import io

import openpyxl
import pytest

from data import DataError, read_agents, read_contacts, read_events
from data.countries import country_code
from data.labels import label

TZ = "Europe/Amsterdam"


def test_a_count_with_a_decimal_point_in_a_decimal_comma_file_is_refused(write) -> None:
    path = write("h.csv", "ds;contacts;aht_s\n2026-10-01;1.5;12,5\n2026-10-02;2;13,5\n")
    with pytest.raises(DataError, match=r"row 2, column 'contacts': '1.5' has a decimal point"):
        read_contacts(path, timezone=TZ)


def test_dots_that_group_thousands_still_read_in_a_decimal_comma_file(write) -> None:
    path = write("h.csv", "ds;contacts;aht_s\n2026-10-01;1.250;12,5\n2026-10-02;2;1.013,5\n")
    frame = read_contacts(path, timezone=TZ)
    assert frame["contacts"].tolist() == [1250, 2]
    assert frame["aht_s"].tolist() == [12.5, 1013.5]


def test_namibia_is_a_country_not_a_missing_value(write, tmp_path) -> None:
    assert country_code("NA") == "NA" and country_code("n/a") == "ZZ"
    path = write("h.csv", "ds,contacts,country\n2026-10-01,1,NA\n2026-10-02,2,NA\n")
    assert read_contacts(path, timezone=TZ)["country"].unique().tolist() == ["NA"]
    book = openpyxl.Workbook()
    for row in (["ds", "contacts", "country"], ["2026-10-01", 1, "NA"], ["2026-10-02", 2, "NA"]):
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    excel = tmp_path / "h.xlsx"
    excel.write_bytes(out.getvalue())
    assert read_contacts(excel, timezone=TZ)["country"].unique().tolist() == ["NA"]


def test_labels_in_other_scripts_stay_apart(write) -> None:
    rows = "".join(f"2026-10-0{d},{n},{q},{c}\n" for d in (1, 2)
                   for n, q, c in ((1, "配送", "📞"), (2, "返品", "💬"), (3, "Café", "chat")))
    frame = read_contacts(write("h.csv", "ds,contacts,query_type,channel\n" + rows),
                          timezone=TZ)
    assert sorted(frame["query_type"].unique()) == ["café", "返品", "配送"]
    assert sorted(frame["channel"].unique()) == ["chat", "💬", "📞"]
    assert label("Order Status ") == "order_status" and label("ＡＢ") == "ab"


def test_a_label_of_only_punctuation_is_refused(write) -> None:
    path = write("h.csv", "ds,contacts,channel\n2026-10-01,1,phone\n2026-10-02,1,???\n")
    with pytest.raises(DataError, match=r"row 3, column 'channel': '\?\?\?' has no letter"):
        read_contacts(path, timezone=TZ)


def test_one_cp1252_byte_in_a_utf8_file_is_refused_with_its_row(tmp_path) -> None:
    path = tmp_path / "h.csv"
    path.write_bytes("ds,contacts,query_type\n2026-10-01,1,Überweisung\n".encode()
                     + "2026-10-02,2,caf\xe9\n".encode("cp1252"))
    with pytest.raises(DataError, match=r"row 3: mixes UTF-8 with another encoding"):
        read_contacts(path, timezone=TZ)


def test_a_file_wholly_in_cp1252_is_still_read(tmp_path) -> None:
    path = tmp_path / "h.csv"
    path.write_bytes("ds,contacts,query_type\n2026-10-01,1,Überweisung\n2026-10-02,2,café\n"
                     .encode("cp1252"))
    assert sorted(read_contacts(path, timezone=TZ)["query_type"]) == ["café", "überweisung"]


@pytest.mark.parametrize("queues", ["-", "voice_en;-", "; ;"])
def test_agents_with_an_empty_queue_name_are_refused(write, queues) -> None:
    path = write("a.csv", f'agent_id,name,queues,contract_h_week\nA1,Ann,"{queues}",38\n')
    with pytest.raises(DataError, match=r"row 2, column 'queues': queue .* has no letter"):
        read_agents(path)


@pytest.mark.parametrize("value", ["-1e308", "-400", "1e6"])
def test_an_event_window_beyond_a_year_is_refused(write, value) -> None:
    column = "upper_window" if not value.startswith("-") else "lower_window"
    path = write("e.csv", f"name,ds,{column}\nsale,2026-11-27,{value}\n")
    with pytest.raises(DataError, match=rf"column '{column}': window {value} is longer than"):
        read_events(path)


def test_blank_lines_before_the_header_keep_row_numbers(write) -> None:
    path = write("h.csv", "\n\n \nds,contacts\n2026-10-01,1\n2026-10-02,x\n")
    with pytest.raises(DataError, match=r"row 6, column 'contacts': 'x' is not a number"):
        read_contacts(path, timezone=TZ)
    good = write("g.csv", "\r\n\r\nds,contacts\r\n2026-10-01,1\r\n2026-10-02,2\r\n")
    assert read_contacts(good, timezone=TZ)["contacts"].tolist() == [1, 2]
