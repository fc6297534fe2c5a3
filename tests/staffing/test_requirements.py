"""Requirements per queue and interval: mapping, volume steps, channel models, edges."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from data import ConfigError
from data import schema as s
from staffing.requirements.compute import compute, handle_times, prepare, requirements
from staffing.requirements.settings import parse_staffing, staffing_table, with_scenario

ZONE = "Europe/Amsterdam"


def interval_forecast(contacts: float = 100.0, days: int = 7, start: str = "2026-10-05",
                      series=(("GB", "order_status", "phone"),)) -> pd.DataFrame:
    """A flat interval forecast: `contacts` per 30 minutes for each series."""
    ds = pd.date_range(start, periods=days * 48, freq="30min", tz=ZONE)
    frames = [pd.DataFrame({"unique_id": f"{c}/{q}/{h}", s.COUNTRY: c, s.QUERY_TYPE: q,
                            s.CHANNEL: h, s.DS: ds, "yhat": contacts,
                            "yhat_lower": contacts * 0.8, "yhat_upper": contacts * 1.3,
                            "model": "test"}) for c, q, h in series]
    return pd.concat(frames, ignore_index=True)


def config(**table):
    return parse_staffing({"default_aht_s": 180, "max_occupancy": 1.0, "shrinkage": 0.3,
                           **table})


def test_the_classic_example_per_interval() -> None:
    """100 calls per 30 minutes at 180 s: 14 agents answer 88.8% within 20 s; with 30%
    shrinkage 20 must be scheduled."""
    frame = requirements(interval_forecast(), config())
    assert list(frame.columns[:9]) == list(s.REQUIREMENT_COLUMNS)
    assert (frame[s.AGENTS_NET] == 14).all()
    assert frame[s.AGENTS_GROSS].to_numpy() == pytest.approx(20.0)
    assert frame[s.SERVICE_LEVEL].to_numpy() == pytest.approx(0.888, abs=5e-4)
    assert frame[s.ASA_S].to_numpy() == pytest.approx(7.8, abs=0.05)
    assert frame[s.OCCUPANCY].to_numpy() == pytest.approx(10 / 14)
    assert frame["queue"].unique().tolist() == ["phone"]  # one queue per channel by default


def test_planning_to_the_top_of_the_band_needs_more() -> None:
    point = requirements(interval_forecast(), config())
    upper = requirements(interval_forecast(), config(volume_column="yhat_upper"))
    assert upper[s.CONTACTS].sum() == pytest.approx(1.3 * point[s.CONTACTS].sum())
    assert (upper[s.AGENTS_NET] > point[s.AGENTS_NET]).all()


def test_volume_steps_are_named_and_exact() -> None:
    series = (("GB", "order_status", "phone"), ("GB", "returns", "phone"))
    cfg = config(volume_uplift=0.1, deflection={"order_status": 0.2},
                 fcr={"returns": 0.8}, fcr_history={"returns": 0.9})
    result = compute(prepare(interval_forecast(series=series), cfg), cfg)
    steps = result.steps.set_index("step")[s.CONTACTS]
    base = 2 * 100.0 * 7 * 48
    assert steps["forecast"] == pytest.approx(base)
    assert steps["scenario uplift"] == pytest.approx(1.1 * base)
    assert steps["self-service deflection"] == pytest.approx(1.1 * base / 2 * (0.8 + 1))
    expected = 1.1 * base / 2 * (0.8 + 0.9 / 0.8)
    assert steps["repeat contacts (first-contact resolution)"] == pytest.approx(expected)
    assert result.frame[s.CONTACTS].sum() == pytest.approx(expected)


def test_more_contacts_never_need_fewer_agents() -> None:
    cfg = config()
    prepared = prepare(interval_forecast(), cfg)
    counts = [compute(prepared, parse_staffing({**staffing_table(cfg), "volume_uplift": u}))
              .frame[s.AGENTS_NET].sum() for u in (-0.5, 0.0, 0.1, 0.5, 2.0)]
    assert counts == sorted(counts) and counts[0] < counts[-1]


def test_the_occupancy_cap_binds() -> None:
    # 1,000 calls per 30 min at 180 s is 100 Erlangs: the service target alone needs far
    # fewer than 100 / 0.8 = 125 agents, so the cap decides
    frame = requirements(interval_forecast(1000.0), config(max_occupancy=0.8))
    assert (frame[s.AGENTS_NET] == 125).all()
    assert frame[s.OCCUPANCY].max() <= 0.8


def test_closed_intervals_get_no_agents_and_a_note() -> None:
    cfg = config(queues=[{"name": "gb_phone", "channel": "phone",
                          "hours": {"weekdays": "08:00-20:00", "weekend": "closed"}}])
    result = compute(prepare(interval_forecast(), cfg), cfg)
    frame = result.frame
    local = frame[s.DS].dt
    open_ = (local.day_of_week < 5) & (local.hour >= 8) & (local.hour < 20)
    assert (frame.loc[~open_, s.AGENTS_NET] == 0).all()
    assert frame.loc[~open_, s.SERVICE_LEVEL].isna().all()
    assert (frame.loc[open_, s.AGENTS_NET] == 14).all()
    assert any("outside its opening hours" in note for note in result.notes)


def test_queues_take_their_countries_and_the_rest_is_reported() -> None:
    series = (("GB", "order_status", "phone"), ("US", "order_status", "phone"),
              ("JP", "order_status", "phone"))
    cfg = config(queues=[{"name": "en_phone", "channel": "phone", "countries": ["GB", "US"]}])
    result = compute(prepare(interval_forecast(50.0, series=series), cfg), cfg)
    assert result.frame[s.CONTACTS].sum() == pytest.approx(2 * 50 * 7 * 48)
    assert any("no queue serves 1 forecast series" in n and "JP/order_status/phone" in n
               for n in result.notes)


def test_handle_times_come_from_recent_history_weighted_by_contacts() -> None:
    ds = pd.date_range("2026-09-01", periods=4, freq="D", tz=ZONE)
    history = pd.DataFrame({s.DS: ds, s.COUNTRY: "GB", s.QUERY_TYPE: "order_status",
                            s.CHANNEL: "phone", s.CONTACTS: [10, 30, 0, 60],
                            s.AHT_S: [100.0, 200.0, 999.0, 300.0]})
    table = handle_times(history, parse_staffing({}))
    assert table[s.AHT_S].iloc[0] == pytest.approx((1000 + 6000 + 18000) / 100)
    cfg = config()
    from_history = prepare(interval_forecast(), cfg, history=history)
    assert from_history.aht_source == "history"
    assert (from_history.rows["work_s"] / from_history.rows[s.CONTACTS]).to_numpy() == \
        pytest.approx(250.0)
    own = config(queues=[{"name": "q", "channel": "phone", "aht_s": 120}])
    assert (prepare(interval_forecast(), own, history=history).rows["work_s"]
            / 100).to_numpy() == pytest.approx(120.0)


def test_handle_time_and_shrinkage_scenarios() -> None:
    base = requirements(interval_forecast(), config())
    slower = requirements(interval_forecast(), config(aht_change=0.2))
    assert slower[s.AHT_S].to_numpy() == pytest.approx(216.0)
    assert (slower[s.AGENTS_NET] >= base[s.AGENTS_NET]).all()
    by_hour = [0.2] * 12 + [0.5] * 12
    frame = requirements(interval_forecast(), config(shrinkage_by_hour=by_hour))
    morning = frame[s.DS].dt.hour < 12
    assert frame.loc[morning, s.AGENTS_GROSS].to_numpy() == pytest.approx(14 / 0.8)
    assert frame.loc[~morning, s.AGENTS_GROSS].to_numpy() == pytest.approx(14 / 0.5)


def test_each_channel_gets_its_model() -> None:
    series = (("GB", "order_status", "phone"), ("GB", "order_status", "chat"),
              ("GB", "order_status", "email"))
    cfg = config(queues=[
        {"name": "p", "channel": "phone", "model": "erlang_a", "patience_s": 120},
        {"name": "c", "channel": "chat", "concurrency": 3, "slowdown_per_chat": 0.1},
        {"name": "e", "channel": "email", "respond_within_h": 8, "response_share": 0.9,
         "hours": {"weekdays": "08:00-18:00", "weekend": "closed"}}])
    frame = requirements(interval_forecast(40.0, series=series), cfg)
    models = frame.groupby("queue")["model"].first().to_dict()
    assert models == {"c": "chat", "e": "backlog", "p": "erlang_a"}
    phone = frame[frame["queue"] == "p"]
    assert phone["abandon_rate"].between(0, 0.1).all()
    chat = frame[frame["queue"] == "c"]
    assert (chat[s.AGENTS_NET] < phone[s.AGENTS_NET].to_numpy()).all()
    email = frame[frame["queue"] == "e"].set_index(s.DS)
    weekend = email.loc["2026-10-10":"2026-10-11"]
    assert (weekend[s.AGENTS_NET] == 0).all()
    assert weekend["backlog"].is_monotonic_increasing  # piles up while closed ...
    sunday_night = weekend["backlog"].iloc[-1]
    # everything from Friday 18:00 to Sunday midnight: 108 half hours of 40 e-mails
    assert sunday_night == pytest.approx(email.loc["2026-10-09 17:30", "backlog"] + 40 * 108)
    monday = email.loc["2026-10-05 08:00":"2026-10-05 17:30"]
    assert monday[s.AGENTS_NET].min() > 0  # ... and Monday works the night's down
    assert monday["backlog"].iloc[-1] < email.loc["2026-10-05 07:30", "backlog"]


def test_a_forecast_without_time_zone_or_columns_is_refused() -> None:
    naive = interval_forecast().assign(ds=lambda f: f[s.DS].dt.tz_localize(None))
    with pytest.raises(ConfigError, match="time-zone aware"):
        requirements(naive, config())
    with pytest.raises(ConfigError, match="channel"):
        requirements(interval_forecast().drop(columns=s.CHANNEL), config())


def test_impossible_queue_settings_name_the_queue() -> None:
    cfg = config(queues=[{"name": "p", "channel": "phone", "answer_within_s": 0}],
                 service_level=0.99)
    frame = requirements(interval_forecast(), cfg)  # 99% with no wait at all is possible
    assert np.isfinite(frame[s.AGENTS_NET]).all()
    with pytest.raises(ConfigError, match=r"staffing\.queues\.p\.service_level"):
        config(queues=[{"name": "p", "channel": "phone", "service_level": 1.0}])


class CountingMemo(dict):
    """A memo that counts how often a queue's sizing was found in it."""

    hits = 0

    def get(self, key, default=None):
        found = super().get(key, default)
        self.hits += found is not None
        return found


def test_a_memo_reuses_what_a_scenario_leaves_alone_and_changes_nothing() -> None:
    series = (("GB", "order_status", "phone"), ("GB", "order_status", "chat"),
              ("GB", "order_status", "email"))
    cfg = config(queues=[
        {"name": "p", "channel": "phone", "model": "erlang_a", "patience_s": 120},
        {"name": "c", "channel": "chat", "concurrency": 3},
        {"name": "e", "channel": "email", "respond_within_h": 8, "response_share": 0.9,
         "hours": {"weekdays": "08:00-18:00", "weekend": "closed"}}])
    prepared = prepare(interval_forecast(40.0, series=series), cfg)
    memo = CountingMemo()
    scenarios = [{}, {"shrinkage": 0.45}, {"service_level": 0.95}, {"volume_uplift": 0.2},
                 {"volume_uplift": 0.2, "max_occupancy": 0.8}, {}]
    hits = []
    for change in scenarios:
        scenario = with_scenario(cfg, **change)
        before = memo.hits
        fresh = compute(prepared, scenario).frame
        remembered = compute(prepared, scenario, memo=memo).frame
        pd.testing.assert_frame_equal(remembered, fresh)
        hits.append(memo.hits - before)
    # shrinkage: every queue's net sizing holds; a voice target leaves e-mail alone;
    # more contacts or a cap resize all; the first scenario again is all remembered
    assert hits == [0, 3, 1, 0, 0, 3]


def test_the_memo_keeps_only_its_most_recent_entries() -> None:
    from staffing.requirements.memo import SizingMemo

    memo = SizingMemo(max_entries=3)
    for i in range(5):
        memo[i] = i
    assert sorted(memo) == [2, 3, 4]
    assert memo[2] == 2
    memo[5] = 5  # 3 is now the least recently used
    assert sorted(memo) == [2, 4, 5]
    with pytest.raises(ValueError, match="max_entries"):
        SizingMemo(max_entries=0)
