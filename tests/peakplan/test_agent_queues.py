"""Agents who work queues the plan does not have (issue 16): not an error, since one
agents file may serve several plans, but never silent: `peakplan validate` and the
staffing notes name the first such agent, the queues and the plan's own."""

from __future__ import annotations

import re

import pandas as pd

from data import SAMPLE_DIR
from peakplan.cli import main
from peakplan.inputs import unknown_queues_note

HEADER = "agent_id,name,queues,contract_h_week\n"


def agents(*rows: tuple[str, tuple[str, ...]]) -> pd.DataFrame:
    return pd.DataFrame({"agent_id": [r[0] for r in rows], "queues": [r[1] for r in rows]})


def test_known_queues_or_no_plan_say_nothing() -> None:
    team = agents(("A1", ("phone",)), ("A2", ("chat", "phone")))
    assert unknown_queues_note(team, ["chat", "phone", "email"]) is None
    assert unknown_queues_note(team, []) is None


def test_the_note_names_the_first_agent_the_queues_and_the_plans_queues() -> None:
    team = agents(("A1", ("phone",)), ("A2", ("chta", "phone")), ("A3", ("chta", "fax")))
    note = unknown_queues_note(team, ["chat", "phone"])
    assert note == ("agent 'A2' and 1 other agent of the agents file work queues chta, fax "
                    "that the plan does not have (it has queues chat, phone): those skills "
                    "are left out of it")


def test_many_or_long_or_unprintable_names_keep_it_one_short_line() -> None:
    team = agents(*[(f"A{i}", (f"q{i}_" + "x" * 300 + "\n",)) for i in range(50)],
                  ("A\x1b[2K" + "y" * 400, ("other",)))
    note = unknown_queues_note(team, [f"plan_{i}" + "z" * 300 for i in range(40)])
    assert note is not None and "\n" not in note and "\x1b" not in note
    assert len(note.encode()) <= 500 and "and 45 more" in note and "and 34 more" in note


def test_validate_shows_a_misspelt_queue_under_the_agents_file(tmp_path, capsys) -> None:
    text = (SAMPLE_DIR / "season.toml").read_text(encoding="utf-8")
    text = re.sub(r'^(volume|traffic|traffic_plan|events) = "', rf'\g<0>{SAMPLE_DIR}/', text,
                  flags=re.MULTILINE).replace('agents = "agents.csv"', 'agents = "a.csv"')
    config = tmp_path / "season.toml"
    config.write_text(text, encoding="utf-8")
    (tmp_path / "a.csv").write_text(HEADER + "A1,Ann,en_phone;en_chta,38\nA2,Bob,en_chat,38\n",
                                    encoding="utf-8")
    assert main(["validate", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if line.strip().startswith("note: agent"))
    assert line.strip().startswith("note: agent 'A1' of the agents file works queue en_chta")
    assert "(it has queues en_chat, en_email, en_phone, es_chat, es_email, es_phone and 6 " \
        "more)" in line
    assert out.index(f"agents {tmp_path}/a.csv") < out.index(line) < out.index("ok: every")
