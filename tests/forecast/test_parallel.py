"""Local processes and a Dask cluster give the same forecasts as a plain loop."""

from __future__ import annotations

import pandas as pd
import pytest

from forecast.config import ForecastConfig
from forecast.models import FitTask, run_task
from forecast.parallel import run_all


def tasks(weekly) -> list[FitTask]:
    config = ForecastConfig()
    out = []
    for seed in range(4):
        history = weekly(120, level=30 + 10 * seed, seed=seed)
        days = pd.date_range(history.index[-1] + pd.Timedelta(days=1), periods=14, freq="D")
        out += [FitTask(f"s{seed}", model, history, days, None, config)
                for model in ("prophet", "snaive_week")]
    return out


def test_local_processes_match_the_plain_loop(weekly) -> None:
    work = tasks(weekly)
    here = run_all(run_task, work, workers=1)
    pooled = run_all(run_task, work, workers=2)
    for a, b in zip(here, pooled, strict=True):
        pd.testing.assert_frame_equal(a, b)


@pytest.mark.slow
def test_a_dask_cluster_matches_the_plain_loop(weekly) -> None:
    distributed = pytest.importorskip("dask.distributed")
    work = tasks(weekly)
    here = run_all(run_task, work, workers=1)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        remote = run_all(run_task, work, scheduler=cluster.scheduler_address)
    for a, b in zip(here, remote, strict=True):
        pd.testing.assert_frame_equal(a, b)


@pytest.mark.slow
def test_an_unreachable_scheduler_is_a_config_error(weekly) -> None:
    from data import ConfigError

    with pytest.raises(ConfigError, match=r"forecast\.scheduler"):
        run_all(run_task, tasks(weekly)[:1], scheduler="tcp://127.0.0.1:9")
