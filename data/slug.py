"""One spelling of a name: lower case, words joined by underscores, any script kept."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["slug"]

_SEPARATORS = re.compile(r"[^0-9a-z\u0080-\U0010ffff]+")
_KEPT_BEYOND_ASCII = frozenset("LMNS")
"""Unicode categories kept beyond ASCII: letters, marks, numbers and symbols (emoji)."""
_ZERO_WIDTH_JOINER = "\u200d"
"""Joins emoji into one (a family, a flag): kept inside a name."""


def slug(value: object) -> str:
    """'Query Type ' -> 'query_type'; 'Página Vista' -> 'página_vista'; '配送' stays.

    Compatibility forms are folded first (NFKC: full-width 'ＡＢ' is 'ab'); in ASCII only
    letters and digits are kept, beyond it letters, marks, numbers and symbols; every run
    of other characters becomes one underscore.

    >>> slug(" Page.Loads "), slug("ＡＢ-1"), slug("¿Dónde?")
    ('page_loads', 'ab_1', 'dónde')
    """
    text = unicodedata.normalize("NFKC", str(value)).strip().lower()
    if not text.isascii():
        text = "".join(c if c.isascii() or c == _ZERO_WIDTH_JOINER
                       or unicodedata.category(c)[0] in _KEPT_BEYOND_ASCII else " "
                       for c in text)
    return _SEPARATORS.sub("_", text).strip("_")
