"""Uploads are parsed by the data readers, never unpickled: what is read, what is refused
and named, and where a kept upload goes."""

from __future__ import annotations

import pytest
from page_testing import BAD_CSV, actuals_csv

from dashboard import uploads
from data import DataError, PlannerError

pytestmark = pytest.mark.usefixtures("uploads_folder")


def test_read_upload_parses_a_good_file(store) -> None:
    frame = uploads.read_upload(actuals_csv(store.forecast), "actuals.csv", "actuals",
                              timezone="Europe/Amsterdam")
    assert {"ds", "country", "query_type", "channel", "contacts"} <= set(frame.columns)
    assert frame["ds"].dt.tz is not None and frame["contacts"].sum() > 0


def test_read_upload_names_the_uploaded_file_and_row() -> None:
    with pytest.raises(DataError) as caught:
        uploads.read_upload(BAD_CSV, "calls.csv", timezone="Europe/Amsterdam")
    text = str(caught.value)
    assert "calls.csv" in text and "row 3" in text and "peakplan-upload" not in text


@pytest.mark.parametrize(("content", "name", "said"), [
    (b"\x80\x04\x95", "model.pkl", "unknown file type"),
    (b"", "empty.csv", "empty"),
    (b"name,ds\n", "events.csv", "events.csv"),
])
def test_read_upload_refuses_what_it_cannot_read(content, name, said) -> None:
    kind = "events" if name == "events.csv" else "contacts"
    with pytest.raises(PlannerError, match=said):
        uploads.read_upload(content, name, kind, timezone="Europe/Amsterdam")


def test_uploads_above_the_limit_are_refused(monkeypatch) -> None:
    monkeypatch.setattr(uploads, "MAX_UPLOAD_MB", 0)
    with pytest.raises(DataError, match="upload limit"):
        uploads.read_upload(b"ds,contacts\n2026-11-01,1\n", "big.csv")


def test_saved_uploads_stay_in_their_folder(tmp_path) -> None:
    first = uploads.save_upload(b"ds,contacts\n", "../../etc/passwd.csv", tmp_path)
    again = uploads.save_upload(b"ds,contacts\n", "../../etc/passwd.csv", tmp_path)
    assert first == again and tmp_path in first.parents and first.name == "passwd.csv"
