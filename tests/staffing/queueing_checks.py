"""Helpers shared by the queueing tests."""

from __future__ import annotations

import warnings
from contextlib import contextmanager

import numpy as np


@contextmanager
def strict_floats():
    """Fail on any warning and on floating-point overflow, division by zero or invalid
    operations that the functions do not deliberately silence (underflow to 0 is fine)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            yield

