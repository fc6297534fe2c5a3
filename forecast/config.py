"""Forecast settings as one frozen dataclass (the `[forecast]` table of a season TOML)."""

from __future__ import annotations

from dataclasses import dataclass, fields

from data import ConfigError

__all__ = ["MODELS", "ForecastConfig"]

MODELS = ("auto", "prophet", "prophet_plain", "snaive_week", "snaive_year")
"""Model names: 'auto' picks per series the model with the lowest backtest WAPE."""


@dataclass(frozen=True)
class ForecastConfig:
    """How the season is forecast.

    model: one of MODELS. interval_width: share of actuals the prediction band should hold.
    min_daily_contacts: a series with fewer contacts a day (mean of the last `share_weeks`)
    is forecast at its parent level and split by recent shares. yearly_min_days: history
    needed before yearly seasonality is fitted. national_window: days before/after national
    holidays in which contacts move. trend_damping: share of the recent trend kept per year
    of horizon (1 = Prophet's own trend, 0 = flat). traffic_lags_d: groups of lags (days) of
    web sessions used as regressors. selection_margin: under 'auto', a baseline must beat
    Prophet's backtest WAPE by more than this share to be chosen over it (a small edge on a
    few past seasons is noise; Prophet also carries the coming season's holidays and
    traffic). workers: processes for fits (0 = one per core);
    scheduler: a Dask scheduler address, or '' for local processes.
    """

    model: str = "auto"
    interval_width: float = 0.8
    min_daily_contacts: float = 20.0
    share_weeks: int = 8
    yearly_min_days: int = 730
    national_window: tuple[int, int] = (-3, 1)
    trend_damping: float = 0.5
    traffic_lags_d: tuple[tuple[int, int], ...] = ((0, 0), (1, 3), (4, 7), (8, 21))
    changepoint_prior_scale: float = 0.05
    seasonality_prior_scale: float = 10.0
    holidays_prior_scale: float = 10.0
    backtest_seasons: int = 3
    selection_margin: float = 0.05
    workers: int = 0
    scheduler: str = ""

    def __post_init__(self) -> None:
        if self.model not in MODELS:
            raise ConfigError("forecast.model", self.model, f"must be one of {', '.join(MODELS)}")
        if not 0 < self.interval_width < 1:
            raise ConfigError("forecast.interval_width", self.interval_width,
                              "must be a share between 0 and 1, such as 0.8")
        if self.min_daily_contacts < 0:
            raise ConfigError("forecast.min_daily_contacts", self.min_daily_contacts,
                              "must be 0 or more")
        if not 0 <= self.trend_damping <= 1:
            raise ConfigError("forecast.trend_damping", self.trend_damping,
                              "must be between 0 (flat) and 1 (undamped)")
        lower, upper = self.national_window
        if lower > 0 or upper < 0:
            raise ConfigError("forecast.national_window", self.national_window,
                              "must be [days before <= 0, days after >= 0]")
        if self.selection_margin < 0:
            raise ConfigError("forecast.selection_margin", self.selection_margin,
                              "must be 0 or more")
        for key in ("share_weeks", "yearly_min_days", "backtest_seasons", "workers"):
            if getattr(self, key) < 0:
                raise ConfigError(f"forecast.{key}", getattr(self, key), "must be 0 or more")

    @classmethod
    def keys(cls) -> tuple[str, ...]:
        """The setting names, for config validation."""
        return tuple(f.name for f in fields(cls))
