"""Country codes: ISO 3166-1 alpha-2, alpha-3 or English names, all read as alpha-2."""

from __future__ import annotations

import difflib
from functools import cache

import pycountry

from data.schema import UNKNOWN_COUNTRY

__all__ = ["country_code", "suggest_country"]

NOT_SET = {"(not set)", "not set", "unknown", "(unknown)", "n/a", "zz", "zzz", "none"}
"""Explicit 'no country' markers (as analytics tools write them): read as ZZ."""

COMMON_NAMES = {
    "russia": "RU", "turkey": "TR", "turkiye": "TR", "macedonia": "MK", "kosovo": "XK",
    "czech republic": "CZ", "uk": "GB", "great britain": "GB", "england": "GB", "usa": "US",
    "united states of america": "US", "america": "US", "holland": "NL", "south korea": "KR",
    "north korea": "KP", "korea": "KR", "ivory coast": "CI", "cape verde": "CV",
    "swaziland": "SZ", "burma": "MM", "myanmar (burma)": "MM", "vatican": "VA",
    "palestine": "PS", "laos": "LA", "syria": "SY", "moldova": "MD", "tanzania": "TZ",
    "vietnam": "VN", "brunei": "BN", "congo - kinshasa": "CD", "congo - brazzaville": "CG",
    "st. lucia": "LC", "st. kitts & nevis": "KN", "st. vincent & grenadines": "VC",
    "bosnia & herzegovina": "BA", "trinidad & tobago": "TT", "antigua & barbuda": "AG",
    "sao tome & principe": "ST", "são tomé & príncipe": "ST", "turks & caicos islands": "TC",
    "hong kong": "HK", "macau": "MO", "macao": "MO", "taiwan": "TW", "iran": "IR",
    "curaçao": "CW", "curacao": "CW", "réunion": "RE", "reunion": "RE", "eswatini": "SZ",
    "micronesia": "FM", "u.s. virgin islands": "VI", "british virgin islands": "VG",
    "st. martin": "MF", "st. barthélemy": "BL", "st. pierre & miquelon": "PM",
    "st. helena": "SH", "caribbean netherlands": "BQ", "åland islands": "AX",
    "heard & mcdonald islands": "HM", "wallis & futuna": "WF", "svalbard & jan mayen": "SJ",
    "u.s. outlying islands": "UM", "falkland islands (islas malvinas)": "FK",
}
EXTRA_CODES = {"XK"}
"""Codes in common use that ISO has not assigned (Kosovo)."""


@cache
def country_code(value: str) -> str | None:
    """'ar', 'ARG', 'Argentina' -> 'AR'; '(not set)' -> 'ZZ'; None when unknown."""
    text = " ".join(str(value).replace("\u2019", "'").split())
    key = text.lower()
    if key in NOT_SET:
        return UNKNOWN_COUNTRY
    if key in COMMON_NAMES:
        return COMMON_NAMES[key]
    if text.upper() in EXTRA_CODES:
        return text.upper()
    try:
        return pycountry.countries.lookup(text).alpha_2
    except LookupError:
        return None


@cache
def _names() -> dict[str, str]:
    names = {c.name.lower(): c.alpha_2 for c in pycountry.countries}
    names.update(COMMON_NAMES)
    return names


def suggest_country(value: str) -> str | None:
    """The nearest country name for a misspelt one ('Argentinia' -> 'Argentina (AR)')."""
    match = difflib.get_close_matches(str(value).lower().strip(), list(_names()), n=1, cutoff=0.75)
    if not match:
        return None
    code = _names()[match[0]]
    return f"{pycountry.countries.get(alpha_2=code).name if code != 'XK' else 'Kosovo'} ({code})"
