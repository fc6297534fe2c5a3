"""Rosters: named agents on the scheduled shifts under labour rules, with an independent
checker and the burnout and fairness reports."""

from staffing.roster.assign import Roster, roster
from staffing.roster.burnout import burnout_report, fairness_spread, fairness_table
from staffing.roster.check import check_roster
from staffing.roster.rules import RosterRules

__all__ = ["Roster", "RosterRules", "burnout_report", "check_roster", "fairness_spread",
           "fairness_table", "roster"]
