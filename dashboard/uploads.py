"""Uploaded files: checked, kept by content hash, parsed by the `data` readers.

An upload is written to a temporary file and read by the reader of its kind (CSV, Excel
or Parquet only): never unpickled or executed. Files above `MAX_UPLOAD_MB` (also the
server's own limit, .streamlit/config.toml) are refused with a message naming them, and
so are names longer than a file system takes.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

import data
from data import DataError, PlannerError
from data.errors import shorten
from peakplan import Config, with_overrides

__all__ = ["MAX_UPLOAD_MB", "UPLOAD_KINDS", "UPLOAD_ROOT", "kept", "read_upload", "save_upload",
           "upload_widget", "with_uploads"]

MAX_UPLOAD_MB = 200
MAX_NAME_BYTES = 200
"""Longest upload name kept: file systems take 255 bytes, and a kept upload is first
written as '.<name>.partial'."""
UPLOADS_KEY = "uploads"
UPLOAD_ROOT = Path(tempfile.gettempdir()) / "peakplan-uploads"
UPLOAD_SUFFIXES = (".csv", ".tsv", ".txt", ".csv.gz", ".tsv.gz", ".txt.gz", ".parquet", ".pq",
                   ".xlsx", ".xlsm")
UPLOAD_KINDS = {"contacts": "contact history", "actuals": "actual contacts",
                "traffic": "web traffic", "events": "events", "agents": "agents"}
"""Upload roles; 'actuals' (season review) is read like a contact history."""


def _safe_name(filename: str) -> str:
    name = re.sub(r"[^0-9A-Za-z_.-]+", "_", Path(str(filename)).name).lstrip(".")
    return name or "upload"


def _check_upload(content: bytes, filename: str) -> str:
    name = _safe_name(filename)
    if len(name.encode()) > MAX_NAME_BYTES:
        raise DataError(f"the file name is {len(name):,} characters long, more than a file "
                        f"system takes", file=shorten(name, 60),
                        expected=f"a name of at most {MAX_NAME_BYTES} characters; rename "
                        "the file and upload it again")
    if not name.lower().endswith(UPLOAD_SUFFIXES):
        raise DataError("unknown file type", file=name,
                        expected="a .csv, .csv.gz, .tsv, .txt, .parquet or .xlsx file")
    if len(content) > MAX_UPLOAD_MB * 1024 * 1024:
        raise DataError(f"is larger than the upload limit of {MAX_UPLOAD_MB} MB", file=name)
    if not content:
        raise DataError("file is empty", file=name)
    return name


def save_upload(content: bytes, filename: str, folder: Path | None = None) -> Path:
    """Keep an uploaded file under a folder named by its content's hash (the same bytes
    give the same path) and return its path; raises DataError for a file type the readers
    do not take, an empty file or one above the size limit."""
    name = _check_upload(content, filename)
    folder = folder or UPLOAD_ROOT
    target = folder / hashlib.sha256(content).hexdigest()[:20] / name
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{name}.partial")
        partial.write_bytes(content)
        partial.replace(target)
    return target


def read_upload(content: bytes, filename: str, kind: str = "contacts", *,
                timezone: str = "Europe/Amsterdam", **options) -> pd.DataFrame:
    """Parse an uploaded file with the `data` reader of its kind (contacts or actuals:
    `data.read_contacts`; traffic, events, agents); raises PlannerError with the file
    named as uploaded. Only the readers' formats are read (CSV, Excel, Parquet)."""
    name = _check_upload(content, filename)
    folder = Path(tempfile.mkdtemp(prefix="peakplan-upload-"))
    try:
        path = folder / name
        path.write_bytes(content)
        if kind in ("contacts", "actuals"):
            return data.read_contacts(path, timezone=timezone, **options)
        readers = {"traffic": data.read_traffic, "events": data.read_events,
                   "agents": data.read_agents}
        if kind not in readers:
            raise DataError(f"unknown upload kind '{kind}'",
                            expected=", ".join(UPLOAD_KINDS))
        return readers[kind](path, **options)
    except PlannerError as exc:
        exc.args = (str(exc).replace(f"{folder}{os.sep}", ""),)
        raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def kept() -> dict[str, tuple[str, bytes]]:
    """The session's uploads by kind: (file name, bytes)."""
    return st.session_state.setdefault(UPLOADS_KEY, {})


def _keep_upload(kind: str, key: str) -> None:
    file = st.session_state.get(key)
    if file is None:
        kept().pop(kind, None)
    else:
        kept()[kind] = (file.name, file.getvalue())


def upload_widget(kind: str, label: str, help: str | None = None) -> tuple[str, bytes] | None:
    """A file uploader whose file is kept in the session (so every page sees it);
    returns (name, bytes) of the kept upload of `kind`, if any."""
    key = f"upload_{kind}"
    types = sorted({suffix.rsplit(".", 1)[-1] for suffix in UPLOAD_SUFFIXES})
    st.file_uploader(label, type=types,
                     key=key, help=help, on_change=_keep_upload, args=(kind, key))
    return kept().get(kind)


def with_uploads(config: Config, **settings) -> Config:
    """`config` with the session's uploaded files in place of its own (and any `data`
    settings such as country or allow_gaps)."""
    roles = {"contacts": "volume", "traffic": "traffic", "events": "events",
             "agents": "agents"}
    paths = {roles[k]: save_upload(v[1], v[0]) for k, v in kept().items() if k in roles}
    return with_overrides(config, **paths, **settings)
