"""peakplan: config, the end-to-end pipeline, the run store and the `peakplan` CLI."""

from peakplan.config import Config, load_config, sample_config

__all__ = ["Config", "load_config", "sample_config"]
