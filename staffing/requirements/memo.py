"""A small bounded memo for `compute`: each queue's sizing, kept across scenarios.

A what-if change that leaves a queue's contacts, handle times and the targets its
channel model reads as they were (shrinkage moves only gross agents; a service-level
target does not touch e-mail) reuses that queue's sizing instead of running its channel
model again: `sizing_key` says what a sizing depends on.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterator, MutableMapping
from typing import Any

import numpy as np
import pandas as pd

from staffing.requirements.channels import ChannelModel, QueueLoad

__all__ = ["SizingMemo", "sizing_key"]


def sizing_key(load: QueueLoad, model: ChannelModel, interval_s: float) -> tuple:
    """What a queue's sizing depends on: the queue (its model and settings), the targets
    its model reads (`ChannelModel.uses`), the interval length (s) and a digest of its
    intervals, contacts and handle times."""
    targets = tuple(value for name, value in load.targets() if name in model.uses)
    digest = hashlib.blake2b(digest_size=16)
    digest.update(str(load.ds.dtype).encode())
    for values in (pd.DatetimeIndex(load.ds).as_unit("s").asi8, load.contacts, load.aht_s):
        digest.update(np.ascontiguousarray(values).tobytes())
    return load.queue, targets, interval_s, digest.hexdigest()


class SizingMemo(MutableMapping):
    """A thread-safe mapping that keeps the `max_entries` most recently used entries
    (one entry is one queue's sizing for one scenario: a few hundred kB for a season).

    >>> memo = SizingMemo(max_entries=2)
    >>> memo["a"], memo["b"] = 1, 2
    >>> memo["a"]; memo["c"] = 3
    1
    >>> sorted(memo)
    ['a', 'c']
    """

    def __init__(self, max_entries: int = 96) -> None:
        if max_entries < 1:
            raise ValueError(f"max_entries must be at least 1, not {max_entries}")
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def __getitem__(self, key: Hashable) -> Any:
        with self._lock:
            value = self._entries[key]
            self._entries.move_to_end(key)
            return value

    def __setitem__(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def __delitem__(self, key: Hashable) -> None:
        with self._lock:
            del self._entries[key]

    def __iter__(self) -> Iterator[Hashable]:
        with self._lock:
            return iter(list(self._entries))

    def __len__(self) -> int:
        return len(self._entries)
