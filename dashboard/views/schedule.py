"""Schedule & roster: design shifts for one queue-week or the whole season, see how they
cover the need, put named agents on them, and export the roster (CSV, Excel,
iCalendar)."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pandas as pd
import streamlit as st

import staffing
from dashboard import charts, display, state
from data import PlannerError, local_day
from peakplan import (
    RosterOutcome,
    Run,
    build_roster,
    requirements_source,
    roster_notes,
    run_schedule,
    store_roster,
    store_schedule,
    team_agents,
    with_exports,
)
from staffing import roster_csv, roster_ics_zip, roster_xlsx

SCHEDULE_PARTS = ("shifts", "breaks", "coverage", "shortfall", "solves")
ROSTER_PARTS = {"assignments": "roster", "unfilled": "unfilled", "burnout": "burnout",
                "fairness": "fairness", "hours": "roster_hours"}
EXPORTS = ("csv", "xlsx", "ics")

config, run = state.run_page("Schedule & roster")
path = str(run.path)
settings = state.run_config(run, config)


def week_of(ds: pd.Series) -> pd.Series:
    """The local Monday of each timestamp's week."""
    day = local_day(ds)
    return day - pd.to_timedelta(day.dt.day_of_week, unit="D")


def mondays(ds: pd.Series) -> list[pd.Timestamp]:
    """The local Mondays of the weeks `ds` touches."""
    return sorted(week_of(ds).unique())


def design(requirements: pd.DataFrame) -> None:
    """Run the optimiser on one queue and week, or on every queue and week (the whole
    season, the queues side by side, with a progress bar)."""
    st.subheader("Design shifts")
    source = requirements_source(run)
    st.caption(f"Requirements of run {source.name}, times in {requirements['ds'].dt.tz}.")
    scope = st.radio("Design", ["One queue and week", "Every queue and week"],
                     horizontal=True, key="schedule_scope")
    limit = int(min(max(settings.schedule.time_limit_s, 1), 120))
    if scope == "Every queue and week":
        limit = st.slider("Time limit per model (s)", 1, 120, limit, key="schedule_limit",
                          help="a safety net: each model stops on its gap first, so two "
                          "solves give the same schedule unless one reaches this limit")
        if st.button("Design the season", type="primary", key="schedule_season"):
            season(requirements, replace(settings.schedule, time_limit_s=float(limit)),
                   source)
        return
    one_week(requirements, limit)


def one_week(requirements: pd.DataFrame, limit: int) -> None:
    """One queue and week, kept small on purpose."""
    left, middle, right = st.columns(3)
    queue = left.selectbox("Queue", sorted(requirements["queue"].unique()),
                           key="schedule_queue")
    rows = requirements[requirements["queue"] == queue]
    weeks = mondays(rows["ds"])
    need = rows["agents_gross"].groupby(week_of(rows["ds"])).sum()
    week = middle.selectbox("Week (Monday to Sunday)", weeks,
                            index=weeks.index(need.idxmax()) if len(need) else 0,
                            format_func=lambda d: f"{d:%d %b %Y}", key="schedule_week",
                            help="the busiest week of the queue comes first")
    limit = right.slider("Time limit per model (s)", 1, 120, limit, key="schedule_limit",
                         help="a safety net: each model stops on its gap first, so two "
                         "solves give the same schedule unless one reaches this limit")
    if not st.button("Design shifts", type="primary", key="schedule_run"):
        return
    rules = replace(settings.schedule, time_limit_s=float(limit))
    with st.status(f"Designing shifts for {queue}, week of {week:%d %b %Y}...",
                   expanded=True) as status:
        try:
            result = run_schedule(rows, rules, queues=[queue], week=week.date(),
                                  progress=lambda report: status.write(str(report)),
                                  agents=team_agents(settings))
        except PlannerError:
            status.update(label=f"{queue}: no schedule", state="error", expanded=False)
            raise
        solve = result.solves.iloc[0]
        status.update(label=f"{queue}: {solve['status']} schedule, {int(solve['shifts'])} "
                      f"agents on shifts, gap {solve['gap']:.1%}", state="complete",
                      expanded=False)
    keep_live(result)


def season(requirements: pd.DataFrame, rules: staffing.ScheduleRules, source: Run) -> None:
    """Every queue and week, the queues side by side (the forecast's workers or Dask
    scheduler), each finished week kept in the run store so that a stopped design
    resumes; a bar with the weeks done, the worst gap so far and the time left."""
    bar = st.progress(0.0, text="Designing every queue and week...")

    def report(progress: staffing.ScheduleProgress) -> None:
        bar.progress(progress.done / max(progress.total, 1), text=str(progress))

    result = run_schedule(requirements, rules, progress=report,
                          workers=settings.forecast.workers,
                          scheduler=settings.forecast.scheduler,
                          checkpoint=settings.runs.root, source=source.name,
                          agents=team_agents(settings))
    worst = result.solves["gap"].max()
    bar.progress(1.0, text=f"{len(result.solves)} queue-weeks designed, worst gap "
                 f"{worst:.2%}")
    keep_live(result)


def keep_live(result: staffing.Schedule) -> None:
    """Show `result` as the schedule designed just now."""
    st.session_state["schedule_live"] = {"run": run.name, "token": uuid.uuid4().hex,
                                         "result": result}
    st.session_state["schedule_source"] = "designed just now"


def working_schedule() -> tuple[staffing.Schedule, str] | None:
    """The schedule to show: just designed, or the run's own (a choice when both)."""
    live = st.session_state.get("schedule_live")
    live = live if live and live["run"] == run.name else None
    stored = set(SCHEDULE_PARTS) <= set(run.artifacts())
    options = (["designed just now"] if live else []) + (["stored in the run"] if stored
                                                         else [])
    if not options:
        return None
    source = options[0] if len(options) == 1 else st.radio(
        "Schedule shown", options, horizontal=True, key="schedule_source")
    if source == "designed just now":
        return live["result"], live["token"]
    frames = {name: state.artifact(path, name) for name in SCHEDULE_PARTS}
    return staffing.Schedule(**frames), "run"


def show_schedule(result: staffing.Schedule) -> str:
    """Solves, coverage against the requirement (period and day), shortfall, shifts."""
    display.table(result.solves)
    queues = sorted(result.coverage["queue"].unique())
    queue = queues[0] if len(queues) == 1 else st.selectbox("Queue shown", queues,
                                                            key="schedule_shown")
    coverage = result.coverage
    display.show(charts.coverage(coverage, queue))
    days = sorted(local_day(coverage.loc[coverage["queue"] == queue, "ds"]).dt.date.unique())
    day = st.selectbox("Day", days, format_func=lambda d: f"{d:%a %d %b %Y}",
                       key="schedule_day")
    display.show(charts.coverage(coverage, queue, day=day))
    shortfall = result.shortfall[result.shortfall["queue"] == queue]
    if len(shortfall):
        st.warning(f"{len(shortfall)} intervals short of the requirement, "
                   f"{shortfall['agents_short'].sum():,.0f} agent-intervals in all.")
        display.table(shortfall)
    else:
        st.success("Every interval is covered.")
    display.show(charts.shift_counts(result.shifts, queue))
    with st.expander("Shifts"):
        display.table(result.shifts[result.shifts["queue"] == queue])
    return queue


def save_schedule(result: staffing.Schedule, token: str) -> Run:
    """The run holding this schedule: the chosen run for its own, else a new run (once)."""
    if token == "run":
        return run
    saved = st.session_state.setdefault("schedule_saved", {})
    if token not in saved:
        saved[token] = store_schedule(settings, requirements_source(run), result)
    return saved[token]


def working_roster(token: str, result: staffing.Schedule,
                   agents: pd.DataFrame | None) -> RosterOutcome | None:
    """The roster to show: built just now for this schedule, or the run's own."""
    live = st.session_state.get("roster_live")
    if live and live["token"] == token:
        return live["outcome"]
    if token == "run" and set(ROSTER_PARTS.values()) <= set(run.artifacts()):
        made = staffing.Roster(**{field: state.artifact(path, name)
                                  for field, name in ROSTER_PARTS.items()})
        notes = roster_notes(made, agents, set(result.shifts["queue"]))
        return RosterOutcome(made, result.shifts, result.coverage, notes)
    return None


def make_roster(result: staffing.Schedule, token: str, agents: pd.DataFrame) -> None:
    """Roster the agents on `result`'s shifts (the same stage as `peakplan roster`)."""
    requirements = state.artifact(path, "requirements")
    bar = st.progress(0.0, text="Rostering agents within the labour rules...")

    def report(done: int, total: int) -> None:
        bar.progress(done / max(total, 1), text=f"Rostering: week {done} of {total} improved")

    outcome = build_roster(settings, result.shifts, result.breaks, agents,
                           requirements=requirements, coverage=result.coverage,
                           progress=report)
    bar.empty()
    st.session_state["roster_live"] = {"token": token, "outcome": outcome}


def roster_table(roster: staffing.Roster) -> None:
    """The roster, filterable by agent, team and week."""
    teams = roster.burnout[["agent_id", "team"]] if "team" in roster.burnout else None
    table = roster.assignments
    if teams is not None:
        table = table.merge(teams, on="agent_id", how="left")
    week = pd.to_datetime(table["date"])
    table = table.assign(week=(week - pd.to_timedelta(week.dt.day_of_week, unit="D")).dt.date)
    left, middle, right = st.columns(3)
    agents = left.multiselect("Agents", sorted(table["agent_id"].unique()),
                              key="roster_agents")
    chosen_teams = middle.multiselect("Teams", sorted(table["team"].dropna().unique())
                                      if "team" in table else [], key="roster_teams")
    weeks = ["All weeks", *sorted(table["week"].unique())]
    chosen_week = right.selectbox("Week", weeks, key="roster_week")
    if agents:
        table = table[table["agent_id"].isin(agents)]
    if chosen_teams:
        table = table[table["team"].isin(chosen_teams)]
    if chosen_week != "All weeks":
        table = table[table["week"] == chosen_week]
    display.table(table)
    st.caption(f"{len(table):,} shifts shown")


def downloads(roster: staffing.Roster, result: staffing.Schedule) -> None:
    """The roster as CSV, Excel and iCalendar (one file per agent, zipped)."""
    assignments = roster.assignments
    columns = st.columns(3)
    columns[0].download_button("Roster (CSV)", lambda: roster_csv(assignments),
                               file_name="roster.csv", mime="text/csv", key="dl_csv",
                               on_click="ignore")
    columns[1].download_button(
        "Roster (Excel)", lambda: roster_xlsx(assignments, result.shifts, result.coverage,
                                              night_hours=settings.schedule.night_hours),
        file_name="roster.xlsx", key="dl_xlsx", on_click="ignore",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    columns[2].download_button("Calendars (iCalendar, zip)",
                               lambda: roster_ics_zip(assignments), file_name="roster-ics.zip",
                               mime="application/zip", key="dl_ics", on_click="ignore")


def show_roster(outcome: RosterOutcome, result: staffing.Schedule, token: str) -> None:
    roster = outcome.result
    burnout = roster.burnout
    at_risk = burnout[burnout["at_risk"]] if "at_risk" in burnout else burnout.iloc[:0]
    columns = st.columns(4)
    columns[0].metric("Shifts rostered", f"{len(roster.assignments):,}")
    columns[1].metric("Agents on shifts", f"{roster.assignments['agent_id'].nunique():,}")
    columns[2].metric("Seats unfilled", f"{roster.seats_unfilled:,}")
    columns[3].metric("Agents at burnout risk", f"{len(at_risk):,}")
    for note in outcome.notes:
        st.caption(f"Note: {note}")
    roster_table(roster)
    st.subheader("Burnout report")
    worked = burnout[burnout["shifts"] > 0] if "shifts" in burnout else burnout
    display.table(worked.sort_values(["at_risk", "paid_h"], ascending=False)
                 if "at_risk" in worked else worked)
    with st.expander(f"Unfilled seats ({roster.seats_unfilled})"):
        display.table(roster.unfilled)
    with st.expander("Fairness: nights, weekends and peak days against a fair share"):
        display.table(roster.fairness)
    downloads(roster, result)
    if token != "run" and st.button("Save the schedule and roster as runs",
                                     key="roster_save"):
        source = save_schedule(result, token)
        saved = store_roster(settings, source, with_exports(settings, outcome, EXPORTS))
        state.select_run(saved.name)
        state.flash(f"Saved the schedule as run `{source.name}` and the roster as run "
                    f"`{saved.name}`.")
        st.rerun()


def roster_section(result: staffing.Schedule, token: str) -> None:
    st.subheader("Roster")
    try:
        agents = state.inputs(settings).agents
    except PlannerError as exc:
        agents = None
        st.warning(f"The agents file cannot be read: {exc}")
    if agents is not None and st.button("Roster agents on these shifts", key="roster_run"):
        make_roster(result, token, agents)
    outcome = working_roster(token, result, agents)
    if outcome is None:
        if agents is None:
            st.info("A roster needs an agents file (data.agents in the config).")
        return
    show_roster(outcome, result, token)


with display.errors():
    if state.need(run, "requirements", what="make requirements with `peakplan staff` or "
                  "save a scenario on the Staffing page"):
        design(state.artifact(path, "requirements"))
        shown = working_schedule()
        if shown is None:
            st.info("No schedule yet: design one above (or pick a run made by "
                    "`peakplan schedule`).")
        else:
            result, token = shown
            st.subheader("Coverage against the requirement")
            show_schedule(result)
            if token != "run" and st.button("Save this schedule as a run",
                                             key="schedule_save"):
                saved = save_schedule(result, token)
                state.select_run(saved.name)
                state.flash(f"Saved the schedule as run `{saved.name}`.")
                st.rerun()
            roster_section(result, token)
