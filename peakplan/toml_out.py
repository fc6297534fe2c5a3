"""Write a `Config` back as TOML: the effective settings of a run, flags included."""

from __future__ import annotations

import tomli_w

from peakplan.config import Config, config_table

__all__ = ["config_toml"]


def config_toml(config: Config) -> str:
    """The settings of `config` as TOML (absolute paths, unset values left out); loading
    it gives the same settings back."""
    source = f" (from {config.source})" if config.source else ""
    header = f"# effective settings{source}".replace("\n", " ").replace("\r", " ")
    return header + "\n" + tomli_w.dumps(config_table(config))
