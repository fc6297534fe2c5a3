"""The sample's agents file: people, skills and contracts of the Amsterdam contact center."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.sample_model import CHANNELS

__all__ = ["make_agents"]

FIRST_NAMES = {
    "en": ("Olivia", "James", "Amelia", "Noah", "Isla", "Jack", "Grace", "Leo", "Ava", "Harry",
           "Emily", "Oscar", "Chloe", "Liam", "Ruby", "Ethan", "Mia", "Lucas", "Zoe", "Henry"),
    "es": ("Sofía", "Mateo", "Valentina", "Santiago", "Camila", "Joaquín", "Lucía", "Tomás"),
    "hu": ("Anna", "Bence", "Hanna", "Máté", "Zsófia", "Levente", "Eszter", "Dániel"),
    "ja": ("Yui", "Haruto", "Sakura", "Ren", "Hina", "Sota", "Aoi", "Yuto"),
}
LAST_NAMES = {
    "en": ("Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Thomas", "Roberts",
           "Walker", "Wright", "Clarke", "Hughes", "Green", "Hall", "Wood", "Lee"),
    "es": ("González", "Rodríguez", "Fernández", "López", "Martínez", "Pérez", "Romero", "Díaz"),
    "hu": ("Nagy", "Kovács", "Tóth", "Szabó", "Horváth", "Varga", "Kiss", "Molnár"),
    "ja": ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Kato"),
}
HEADCOUNT = {"en": 150, "es": 62, "hu": 34, "ja": 34}
CONTRACTS = ((40.0, 0.6), (32.0, 0.2), (24.0, 0.15), (20.0, 0.05))
PREFERENCE_CHOICES = ("", "", "", "early", "late", "no_nights", "no_weekends", "nights;weekends")


def make_agents(rng: np.random.Generator) -> pd.DataFrame:
    """About 280 agents by language (about the median weekly need of each language in FTE:
    the hiring plan covers the peak): skills, contract hours, availability, days off."""
    rows = []
    for language, count in HEADCOUNT.items():
        for k in range(count):
            rows.append(_agent(language, len(rows) + 1, k, rng))
    return pd.DataFrame(rows)


def _agent(language: str, number: int, k: int, rng: np.random.Generator) -> dict[str, object]:
    firsts, lasts = FIRST_NAMES[language], LAST_NAMES[language]
    name = f"{firsts[k % len(firsts)]} {lasts[(k * 7 + k // len(firsts)) % len(lasts)]}"
    channels = [c for c in CHANNELS if rng.random() < 0.55] or [CHANNELS[k % 3]]
    languages = [language] + (["es"] if language == "en" and rng.random() < 0.08 else [])
    hours = float(rng.choice([c[0] for c in CONTRACTS], p=[c[1] for c in CONTRACTS]))
    part_time = hours < 32
    days_off = [f"2026-12-{d:02d}" for d in sorted(rng.choice(range(20, 32), 3, replace=False))] \
        if rng.random() < 0.2 else []
    if rng.random() < 0.1:
        days_off.append("2026-11-02..2026-11-06")
    return {
        "agent_id": f"A{number:04d}",
        "name": name,
        "team": f"{language.upper()}-{k // 12 + 1}",
        "queues": ";".join(f"{lang}_{ch}" for lang in languages for ch in channels),
        "contract_h_week": hours,
        "min_h_week": hours - (4 if part_time else 0),  # part-timers: a min-max contract
        "max_h_week": hours + 4,
        "available_days": "Mon-Fri" if part_time and rng.random() < 0.5 else "",
        "earliest_start": "07:00" if rng.random() < 0.15 else "",
        "latest_end": "20:00" if rng.random() < 0.15 else "",
        "unavailable": ";".join(days_off),
        "preferences": PREFERENCE_CHOICES[int(rng.integers(len(PREFERENCE_CHOICES)))],
    }
