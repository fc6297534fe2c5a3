"""peakplan: config, the end-to-end pipeline, the run store and the `peakplan` CLI."""

from peakplan.config import Config, load_config, sample_config
from peakplan.pipeline import run
from peakplan.runs import Run, list_runs, load_run

__all__ = ["Config", "Run", "list_runs", "load_config", "load_run", "run", "sample_config"]
