"""Normalise the text of series labels: query types, channels, countries and queues."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.countries import country_code, suggest_country
from data.errors import ConfigError
from data.slug import slug
from data.tables import RawTable
from data.values import fail_rows

__all__ = ["CHANNEL_ALIASES", "label", "normalise_channel", "queue_name", "read_countries",
           "read_labels"]

CHANNEL_ALIASES = {
    "voice": "phone", "call": "phone", "calls": "phone", "telephone": "phone", "tel": "phone",
    "inbound_call": "phone", "e_mail": "email", "mail": "email", "emails": "email",
    "live_chat": "chat", "webchat": "chat", "web_chat": "chat", "messaging": "chat",
}


def label(value: object) -> str:
    """'Order Status ' -> 'order_status': lower case, words joined by underscores. Letters,
    digits and symbols of any script are kept ('配送', '📦'), so labels in other scripts
    stay apart; an empty result means the value holds no letter, digit or symbol.

    >>> label("Order Status "), label("配送 (速達)"), label("Café"), label("📦")
    ('order_status', '配送_速達', 'café', '📦')
    """
    return slug(value)


def queue_name(value: object) -> str:
    """The one spelling of a queue, the same in every reader (config, agents, requirements,
    schedules): 'Voice-EN' and 'voice_en' are one queue.

    >>> queue_name("Voice-EN"), queue_name("voice_en ")
    ('voice_en', 'voice_en')
    """
    return label(value)


def normalise_channel(value: object) -> str:
    """A channel label with common synonyms mapped to phone, chat and email."""
    text = label(value)
    return CHANNEL_ALIASES.get(text, text)


def read_labels(table: RawTable, column: str, *, channel: bool = False) -> pd.Series:
    """A label column normalised, with empty cells an error."""
    text = table.frame[column].astype("string").fillna("").str.strip()
    fail_rows(table, text.eq(""), column, "the cell is empty", f"a {column.replace('_', ' ')}")
    codes, uniques = pd.factorize(text)
    mapper = normalise_channel if channel else label
    mapped = np.asarray([mapper(u) for u in uniques], dtype=object)
    fail_rows(table, (mapped == "")[codes], column, "'{value}' has no letter or digit to "
              "name it by", f"a {column.replace('_', ' ')} with a letter or digit")
    return pd.Series(mapped[codes], index=text.index, dtype="str")


def read_countries(table: RawTable, column: str, *, allow_all: bool = False) -> pd.Series:
    """A country column as ISO alpha-2 codes ('*' kept when `allow_all`)."""
    text = table.frame[column].astype("string").fillna("").str.strip()
    fail_rows(table, text.eq(""), column, "the country is empty",
              "an ISO country code such as AR, a code such as ARG, or an English name")
    codes, uniques = pd.factorize(text)
    mapped = [("*" if allow_all and u.lower() in ("*", "all") else country_code(u))
              for u in uniques]
    for position, (raw, code) in enumerate(zip(uniques, mapped, strict=True)):
        if code is None:
            guess = suggest_country(raw)
            fail_rows(table, codes == position, column,
                      "unknown country '{value}'" + (f"; did you mean {guess}?" if guess else ""),
                      "an ISO 3166 code (AR, ARG) or an English country name")
    return pd.Series(np.asarray(mapped, dtype=object)[codes], index=text.index, dtype="str")


def country_setting(value: str, key: str = "country") -> str:
    """A country named in a flag or config, as alpha-2, or `ConfigError`."""
    code = country_code(value)
    if code is None:
        guess = suggest_country(value)
        raise ConfigError(key, value, "not an ISO 3166 country code or English name"
                          + (f"; did you mean {guess}?" if guess else ""))
    return code
