"""The run store: `runs/<UTC timestamp>-<name>/` with config.toml, manifest.json and
Parquet artifacts. A run is written under a temporary name and renamed into place once its
manifest is complete, so a folder without a complete manifest is never listed as a run.

The temporary folder `.<run>.<host>-<pid>.partial` names the process writing it. A run
that dies (kill -9, power cut) leaves it behind; the next write removes such folders when
they are older than the writing process and their owner is no longer running. A write
that fails (disk full, read-only store) removes its own and says so in one line naming
the store."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import platform
import re
import shutil
import socket
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from data import ConfigError

__all__ = ["Run", "check_run_store", "file_sha256", "list_runs", "load_run",
           "remove_stale_partials", "run_with", "write_run"]

MANIFEST = "manifest.json"
MAX_SLUG_CHARS = 80
"""A run folder's name is its timestamp and at most this much of its name (file systems
take 255 bytes a name)."""
STARTED = time.time()
"""When this process loaded the run store: unfinished folders older than this and whose
owner has ended are left-overs of a run that died."""
FOREIGN_STALE_S = 86_400
"""Unfinished folders of another machine (a shared store) are removed after a day."""
_PARTIAL = re.compile(r"^\.(?P<run>.+?)(?:\.(?P<host>[0-9A-Za-z_-]*)-(?P<pid>\d+))?\.partial$")
VERSIONED = ("peakplan", "pandas", "numpy", "prophet", "holidays", "pulp", "highspy")


@dataclass(frozen=True)
class Run:
    """A complete run folder and its manifest."""

    path: Path
    manifest: dict[str, Any]

    @property
    def name(self) -> str:
        """The folder name: '<UTC timestamp>-<name>'."""
        return self.path.name

    def artifacts(self) -> list[str]:
        """Names of the Parquet artifacts in the run."""
        return sorted(self.manifest.get("artifacts", {}))

    def artifact(self, name: str) -> pd.DataFrame:
        """Read one artifact ('forecast', 'interval_forecast', 'metrics'...)."""
        if name not in self.manifest.get("artifacts", {}):
            raise ConfigError("artifact", name, f"not in run {self.name} (it has "
                              f"{', '.join(self.artifacts()) or 'none'})")
        return pd.read_parquet(self.path / f"{name}.parquet")


def _versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for package in VERSIONED:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            continue
    return found


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _slug(name: str) -> str:
    return re.sub(r"[^0-9A-Za-z_.-]+", "-", name).strip("-.")[:MAX_SLUG_CHARS].strip("-.") \
        or "run"


def _host() -> str:
    return re.sub(r"[^0-9A-Za-z_-]+", "_", socket.gethostname())[:40]


REASONS = {errno.EACCES: "no permission", errno.EPERM: "no permission",
           errno.EROFS: "the file system is read-only", errno.ENOSPC: "the disk is full",
           errno.EDQUOT: "the disk quota is used up", errno.ENAMETOOLONG: "a name is too long"}


def _reason(exc: OSError) -> str:
    """'the disk is full (No space left on device)' for an OSError."""
    known = REASONS.get(exc.errno or 0)
    detail = exc.strerror or str(exc) or type(exc).__name__
    return f"{known} ({detail})" if known else detail


def _probe(folder: Path) -> OSError | None:
    """None when a file can be created, written and removed in `folder` (asked of the
    file system itself: `os.access` says yes to root even where a write fails)."""
    try:
        handle, name = tempfile.mkstemp(prefix=".peakplan-probe-", dir=folder)
    except OSError as exc:
        return exc
    try:
        with os.fdopen(handle, "wb") as probe:
            probe.write(b"peakplan run store probe\n")
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as exc:
        return exc
    finally:
        with contextlib.suppress(OSError):
            os.unlink(name)
    return None


def check_run_store(root: Path, setting: str = "runs.root") -> Path:
    """`root` if runs can be written there (a folder, or one that can be made); else a
    ConfigError naming `setting`, before any work is done for the run."""
    root = Path(root)
    if root.exists() and not root.is_dir():
        raise ConfigError(setting, str(root), "is a file, not a folder for runs")
    existing = next((p for p in (root, *root.absolute().parents) if p.exists()), None)
    if existing is None or not existing.is_dir():
        raise ConfigError(setting, str(root), f"cannot be made: {existing} is not a folder")
    failed = _probe(existing)
    if failed is not None:
        raise ConfigError(setting, str(root), f"cannot be written: {_reason(failed)} in "
                          f"{existing}")
    return root


def write_run(
    root: Path, name: str, *, config_text: str, artifacts: Mapping[str, pd.DataFrame],
    inputs: Mapping[str, Path | None], timings_s: Mapping[str, float],
    notes: tuple[str, ...] = (), extra: Mapping[str, Any] | None = None,
    files: Mapping[str, bytes] | None = None,
) -> Run:
    """Write a complete run and return it; nothing is left behind if writing fails, and a
    store that cannot take it (full, read-only) is a `ConfigError` naming `runs.root`.
    `files`: other files by relative path (e.g. exports/roster.xlsx), kept as given."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    final = Path(root) / f"{stamp}-{_slug(name)}"
    partial = Path(root) / f".{final.name}.{_host()}-{os.getpid()}.partial"
    hashes = {role: {"path": str(path), "sha256": file_sha256(path)}
              for role, path in inputs.items() if path is not None}
    remove_stale_partials(Path(root))
    try:
        partial.mkdir(parents=True)
    except OSError as exc:
        raise ConfigError("runs.root", str(root), f"cannot hold a run: {_reason(exc)}") from None
    try:
        manifest = _fill(partial, config_text, artifacts, files or {})
        manifest = {"name": name, "created_utc": stamp, "status": "complete",
                    "versions": _versions(), "inputs": hashes,
                    "timings_s": {k: round(v, 3) for k, v in timings_s.items()},
                    **manifest, "notes": list(notes), **(extra or {})}
        _write_text(partial / MANIFEST, json.dumps(manifest, indent=2, default=str) + "\n")
        partial.rename(final)
    except BaseException as exc:
        shutil.rmtree(partial, ignore_errors=True)
        if isinstance(exc, OSError):
            raise _store_error(Path(root), partial, exc) from None
        raise
    return Run(final, manifest)


def _fill(partial: Path, config_text: str, artifacts: Mapping[str, pd.DataFrame],
          files: Mapping[str, bytes]) -> dict[str, Any]:
    """Write the run's files into `partial`; the manifest's artifacts and files."""
    _write_text(partial / "config.toml", config_text)
    for relative, data in files.items():
        target = partial / relative
        if partial.resolve() not in target.resolve().parents:
            raise ValueError(f"file {relative!r} would leave the run folder")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    rows = {}
    for key, frame in artifacts.items():
        frame.to_parquet(partial / f"{key}.parquet", index=False)
        rows[key] = len(frame)
    return {"artifacts": rows, "files": sorted(files)}


def _write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def _store_error(root: Path, partial: Path, exc: OSError) -> ConfigError:
    left = f"; the unfinished folder {partial.name} could not be removed" \
        if partial.exists() else "; nothing of the run was kept"
    return ConfigError("runs.root", str(root), f"cannot hold the run: {_reason(exc)}{left}")


def remove_stale_partials(root: Path) -> list[Path]:
    """Remove the unfinished run folders of runs that died; return them. A folder is
    stale when it was last changed before this process started and its owner (host and
    process id in its name) is not running; of another host, after a day; without an
    owner (older versions), by age alone."""
    removed: list[Path] = []
    with contextlib.suppress(OSError):
        for folder in sorted(Path(root).iterdir()):
            match = _PARTIAL.match(folder.name)
            if match and folder.is_dir() and _stale(folder, match):
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
    return removed


def _stale(folder: Path, match: re.Match[str]) -> bool:
    try:
        changed = folder.stat().st_mtime
    except OSError:
        return False
    if changed >= STARTED:
        return False
    if match["pid"] is None:
        return True
    if match["host"] != _host():
        return changed < time.time() - FOREIGN_STALE_S
    return not _running(int(match["pid"]))


def _running(pid: int) -> bool:
    """True when process `pid` of this host exists (signal 0 tests without sending)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def _read(folder: Path) -> Run | None:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return Run(folder, manifest) if manifest.get("status") == "complete" else None


def list_runs(root: Path) -> list[Run]:
    """Complete runs under `root`, oldest first."""
    if not Path(root).is_dir():
        return []
    runs = [_read(p) for p in sorted(Path(root).iterdir())
            if p.is_dir() and not p.name.startswith(".")]
    return [run for run in runs if run is not None]


def load_run(root: Path, ref: str = "latest") -> Run:
    """A run by folder name, by the end of its name, or 'latest'."""
    runs = list_runs(root)
    if not runs:
        raise ConfigError("run", ref, f"no runs in {root}")
    if ref == "latest":
        return runs[-1]
    matches = [r for r in runs if r.name == ref or r.name.endswith(f"-{ref}")]
    if not matches:
        raise ConfigError("run", ref, f"no such run in {root} (latest: {runs[-1].name})")
    return matches[-1]


def run_with(root: Path, ref: str, artifact: str, what: str, first: str) -> Run:
    """Run `ref` (or, for 'latest', the newest run) that holds `artifact`; a message
    names `what` it lacks and the command (`first`) that makes it."""
    if ref != "latest":
        found = load_run(root, ref)
        if artifact not in found.artifacts():
            raise ConfigError("--run", ref, f"run {found.name} has no {what} ({first} first)")
        return found
    for found in reversed(list_runs(root)):
        if artifact in found.artifacts():
            return found
    raise ConfigError("--run", ref, f"no run with {what} in {root}; {first} first")

