"""The run store: `runs/<UTC timestamp>-<name>/` with config.toml, manifest.json and
Parquet artifacts. A run is written under a temporary name and renamed into place once its
manifest is complete, so a folder without a complete manifest is never listed as a run."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from data import ConfigError

__all__ = ["Run", "check_run_store", "file_sha256", "list_runs", "load_run", "run_with",
           "write_run"]

MANIFEST = "manifest.json"
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
    return re.sub(r"[^0-9A-Za-z_.-]+", "-", name).strip("-") or "run"


def check_run_store(root: Path, setting: str = "runs.root") -> Path:
    """`root` if runs can be written there (a folder, or one that can be made); else a
    ConfigError naming `setting`, before any work is done for the run."""
    root = Path(root)
    if root.exists() and not root.is_dir():
        raise ConfigError(setting, str(root), "is a file, not a folder for runs")
    existing = next((p for p in (root, *root.absolute().parents) if p.exists()), None)
    if existing is None or not existing.is_dir():
        raise ConfigError(setting, str(root), f"cannot be made: {existing} is not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise ConfigError(setting, str(root), f"cannot be written: no permission on {existing}")
    return root


def write_run(
    root: Path, name: str, *, config_text: str, artifacts: Mapping[str, pd.DataFrame],
    inputs: Mapping[str, Path | None], timings_s: Mapping[str, float],
    notes: tuple[str, ...] = (), extra: Mapping[str, Any] | None = None,
    files: Mapping[str, bytes] | None = None,
) -> Run:
    """Write a complete run and return it; nothing is left behind if writing fails.
    `files`: other files by relative path (e.g. exports/roster.xlsx), kept as given."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    final = Path(root) / f"{stamp}-{_slug(name)}"
    partial = Path(root) / f".{final.name}.partial"
    try:
        partial.mkdir(parents=True)
    except OSError as exc:
        raise ConfigError("runs.root", str(root),
                          f"cannot hold a run: {exc.strerror or exc}") from None
    try:
        (partial / "config.toml").write_text(config_text, encoding="utf-8")
        for relative, data in (files or {}).items():
            target = partial / relative
            if partial.resolve() not in target.resolve().parents:
                raise ValueError(f"file {relative!r} would leave the run folder")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        rows = {}
        for key, frame in artifacts.items():
            frame.to_parquet(partial / f"{key}.parquet", index=False)
            rows[key] = len(frame)
        manifest = {
            "name": name, "created_utc": stamp, "status": "complete", "versions": _versions(),
            "inputs": {role: {"path": str(path), "sha256": file_sha256(path)}
                       for role, path in inputs.items() if path is not None},
            "timings_s": {k: round(v, 3) for k, v in timings_s.items()},
            "artifacts": rows, "files": sorted(files or {}), "notes": list(notes),
            **(extra or {}),
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2, default=str) + "\n",
                                        encoding="utf-8")
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return Run(final, manifest)


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

